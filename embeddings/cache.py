"""Incremental vector cache keyed by (model id, document hash): rebuilds embed only new or changed documents.

One directory per model id holds append-only shards (``<n>.hashes.npy`` + ``<n>.vectors.npy``); each build
adds one shard with what it embedded, and shards are merged once there are more than ``MAX_SHARDS``.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MAX_SHARDS = 8


class VectorCache:
    """Vectors of one model, looked up by document hash."""

    def __init__(self, root: Path, model_id: str, dim: int) -> None:
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", model_id)
        tag = hashlib.sha256(model_id.encode()).hexdigest()[:8]
        self.dir = Path(root) / f"{safe}-{tag}-{dim}"
        self.model_id = model_id
        self.dim = dim
        self._index: dict[str, tuple[int, int]] = {}
        self._shards: list[tuple[int, np.ndarray]] = []
        self._load()

    def _shard_ids(self) -> list[int]:
        if not self.dir.is_dir():
            return []
        return sorted(int(p.name.split(".")[0]) for p in self.dir.glob("*.vectors.npy"))

    def _load(self) -> None:
        self._index.clear()
        self._shards.clear()
        for shard in self._shard_ids():
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

    def _compact(self) -> None:
        self._load()
        hashes = list(self._index)
        _, vectors = self.get(hashes)
        old = self._shard_ids()
        self._write(max(old) + 1, hashes, vectors)
        for shard in old:
            for suffix in ("hashes", "vectors"):
                (self.dir / f"{shard}.{suffix}.npy").unlink(missing_ok=True)
        logger.info("merged %d vector cache shards into one (%d vectors)", len(old), len(hashes))
