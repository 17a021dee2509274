"""Incremental vector cache keyed by (model id, backend, precision, document hash).

Rebuilds embed only new or changed documents, and vectors of different backends or precisions
(sentence-transformers fp32 or fp16, ONNX int8) never mix. One directory per key (model id, backend,
precision, dim) holds ``key.json`` and append-only shards (``<n>.hashes.npy`` + ``<n>.vectors.npy``); each
build adds one shard with what it embedded, and shards are merged once there are more than ``MAX_SHARDS``.
Directories of the first format, keyed by model id and dim only, are never read: nothing says which backend
wrote them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

logger = logging.getLogger(__name__)

MAX_SHARDS = 8
CACHE_FORMAT = 2
"""Bumped when the key or layout changes (2: backend and precision in the key)."""
KEY_FILE = "key.json"


@dataclass(frozen=True)
class CacheKey:
    """What makes two vectors of one document interchangeable."""

    model_id: str
    backend: str
    precision: str
    dim: int

    @classmethod
    def of(cls, encoder: Any) -> CacheKey:
        """The key of an encoder's vectors (an encoder without ``backend`` is named by its class)."""
        return cls(
            encoder.model_id,
            getattr(encoder, "backend", None) or type(encoder).__name__,
            getattr(encoder, "precision", None) or "unknown",
            int(encoder.dim),
        )

    def dirname(self) -> str:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{self.model_id}-{self.backend}-{self.precision}")
        tag = hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:10]
        return f"{safe}-{self.dim}-{tag}"

    def legacy_dirname(self) -> str:
        """The directory format 1 used for this model and dim (any backend)."""
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", self.model_id)
        return f"{safe}-{hashlib.sha256(self.model_id.encode()).hexdigest()[:8]}-{self.dim}"

    def stamp(self) -> dict[str, Any]:
        return {"format": CACHE_FORMAT, **asdict(self)}


class VectorCache:
    """Vectors of one (model, backend, precision), looked up by document hash."""

    def __init__(self, root: Path, model_id: str, dim: int, *, backend: str, precision: str) -> None:
        if not backend or not precision:
            raise ValueError("a vector cache needs a backend and a precision")
        self.key = CacheKey(model_id, backend, precision, dim)
        self.dir = Path(root) / self.key.dirname()
        self.model_id = model_id
        self.dim = dim
        self._index: dict[str, tuple[int, int]] = {}
        self._shards: list[tuple[int, np.ndarray]] = []
        legacy = Path(root) / self.key.legacy_dirname()
        if legacy.is_dir():
            logger.info(
                "ignoring %s: a vector cache of the old format (no backend or precision); safe to delete",
                legacy,
            )
        self._load()

    @classmethod
    def for_encoder(cls, root: Path, encoder: Any) -> VectorCache:
        """The cache of ``encoder``'s vectors under ``root``."""
        key = CacheKey.of(encoder)
        return cls(root, key.model_id, key.dim, backend=key.backend, precision=key.precision)

    @property
    def backend(self) -> str:
        return self.key.backend

    @property
    def precision(self) -> str:
        return self.key.precision

    def _shard_ids(self) -> list[int]:
        if not self.dir.is_dir():
            return []
        return sorted(int(p.name.split(".")[0]) for p in self.dir.glob("*.vectors.npy"))

    def _key_matches(self) -> bool:
        try:
            return json.loads((self.dir / KEY_FILE).read_text()) == self.key.stamp()
        except (OSError, ValueError):
            return False

    def _load(self) -> None:
        self._index.clear()
        self._shards.clear()
        shards = self._shard_ids()
        if shards and not self._key_matches():
            logger.warning("ignoring vector cache %s: its key.json does not match %s", self.dir, self.key)
            return
        for shard in shards:
            try:
                hashes = np.load(self.dir / f"{shard}.hashes.npy")
                vectors = np.load(self.dir / f"{shard}.vectors.npy", mmap_mode="r")
            except (OSError, ValueError):
                logger.warning("ignoring unreadable vector cache shard %s/%d", self.dir, shard)
                continue
            if vectors.shape != (len(hashes), self.dim):
                logger.warning("ignoring vector cache shard %s/%d of the wrong shape", self.dir, shard)
                continue
            pos = len(self._shards)
            self._shards.append((shard, vectors))
            for row, h in enumerate(hashes.tolist()):
                self._index[h.decode() if isinstance(h, bytes) else h] = (pos, row)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, doc_hash: object) -> bool:
        return doc_hash in self._index

    def get(self, doc_hashes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(found mask, vectors) for ``doc_hashes``; rows not found are zero."""
        out = np.zeros((len(doc_hashes), self.dim), dtype=np.float32)
        found = np.zeros(len(doc_hashes), dtype=bool)
        for i, h in enumerate(doc_hashes):
            where = self._index.get(h)
            if where is not None:
                out[i] = self._shards[where[0]][1][where[1]]
                found[i] = True
        return found, out

    def add(self, doc_hashes: Sequence[str], vectors: np.ndarray) -> None:
        """Store new vectors (one shard, written atomically), merging shards when there are many."""
        if len(doc_hashes) == 0:
            return
        if vectors.shape != (len(doc_hashes), self.dim):
            raise ValueError(
                f"expected vectors of shape ({len(doc_hashes)}, {self.dim}), got {vectors.shape}"
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        if not self._key_matches():
            self._remove(self._shard_ids())
            tmp = self.dir / f".{KEY_FILE}.tmp"
            tmp.write_text(json.dumps(self.key.stamp(), indent=2))
            os.replace(tmp, self.dir / KEY_FILE)
        shards = self._shard_ids()
        self._write(max(shards, default=0) + 1, list(doc_hashes), vectors)
        if len(shards) + 1 > MAX_SHARDS:
            self._compact()
        self._load()

    def _write(self, shard: int, hashes: list[str], vectors: np.ndarray) -> None:
        for suffix, array in (
            ("vectors", np.ascontiguousarray(vectors, dtype=np.float32)),
            ("hashes", np.array(hashes, dtype="S64")),
        ):
            tmp = self.dir / f".{shard}.{suffix}.tmp.npy"
            np.save(tmp, array)
            os.replace(tmp, self.dir / f"{shard}.{suffix}.npy")

    def _remove(self, shards: list[int]) -> None:
        for shard in shards:
            for suffix in ("hashes", "vectors"):
                (self.dir / f"{shard}.{suffix}.npy").unlink(missing_ok=True)

    def _compact(self) -> None:
        self._load()
        hashes = list(self._index)
        _, vectors = self.get(hashes)
        old = self._shard_ids()
        self._write(max(old) + 1, hashes, vectors)
        self._remove(old)
        logger.info("merged %d vector cache shards into one (%d vectors)", len(old), len(hashes))
