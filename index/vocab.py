"""The two-way tconst ↔ row map, saved beside the FAISS file and checked by hash on load."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from wtw.errors import ArtifactError, NotFoundError


class Vocab:
    """Row ids of the index and vectors files, by tconst and back."""

    def __init__(self, tconsts: Iterable[str]) -> None:
        self.tconsts: list[str] = list(tconsts)
        self._rows = {t: i for i, t in enumerate(self.tconsts)}
        if len(self._rows) != len(self.tconsts):
            raise ArtifactError("vocabulary has duplicate tconsts")

    def __len__(self) -> int:
        return len(self.tconsts)

    def __contains__(self, tconst: object) -> bool:
        return tconst in self._rows

    def row(self, tconst: str) -> int:
        """Row of ``tconst`` (NotFoundError when the index does not hold it)."""
        try:
            return self._rows[tconst]
        except KeyError:
            raise NotFoundError(f"title {tconst} is not in the index") from None

    def rows(self, tconsts: Iterable[str]) -> np.ndarray:
        """Rows of the known tconsts among ``tconsts`` (unknown ones skipped)."""
        return np.fromiter((self._rows[t] for t in tconsts if t in self._rows), dtype=np.int64)

    def tconst(self, row: int) -> str:
        return self.tconsts[row]

    @property
    def sha256(self) -> str:
        return hashlib.sha256("\n".join(self.tconsts).encode()).hexdigest()

    def save(self, path: Path) -> None:
        Path(path).write_text(
            json.dumps({"count": len(self), "sha256": self.sha256, "tconsts": self.tconsts})
        )

    @classmethod
    def load(cls, path: Path, *, expected_sha256: str | None = None) -> Vocab:
        """Read a saved vocabulary; its hash must match its own content and, when given, the manifest's."""
        try:
            data = json.loads(Path(path).read_text())
            vocab = cls(data["tconsts"])
            stored = data["sha256"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ArtifactError(f"vocabulary {path} is unreadable: {exc}") from exc
        if vocab.sha256 != stored or (expected_sha256 is not None and stored != expected_sha256):
            raise ArtifactError(f"vocabulary {path} does not match its hash; rebuild the index")
        return vocab

    @classmethod
    def from_rows(cls, tconsts: Sequence[str]) -> Vocab:
        return cls(tconsts)
