"""`--engine ray`: the catalog's Parquet file read by Ray Data, encoded by `map_batches` over an actor pool.

Locally this starts a Ray instance on this machine. To use a cluster, start the job where the cluster is
reachable and set ``RAY_ADDRESS`` (``RAY_ADDRESS=ray://head-node:10001 wtw embed --engine ray``), or submit
it with ``ray job submit --address http://head-node:8265 -- wtw embed --engine ray``. Every worker needs the
`wtw` package (``pip install 'wtw[ray,onnx]'``) and read access to the catalog file and to the cache dir,
where the actors find the ONNX export (a shared filesystem).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.embeddings.encoders import GPU_BATCH
from wtw.errors import ArtifactError

if TYPE_CHECKING:
    from wtw.config import EmbeddingSettings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RayVectors:
    """What the actors embedded: one vector per distinct document hash, and the backend that made them."""

    doc_hashes: list[str]
    vectors: np.ndarray
    backend: str
    precision: str


class _EncodeActor:
    """One encoder per Ray actor, loaded once and reused for every batch.

    Each batch is cut down to the wanted document hashes (None: all), each distinct document encoded once.
    """

    def __init__(
        self, settings: dict[str, Any], cache_dir: str | None, wanted: frozenset[str] | None
    ) -> None:
        from wtw.config import EmbeddingSettings
        from wtw.embeddings.cache import CacheKey
        from wtw.embeddings.encoders import load_encoder

        embedding = EmbeddingSettings(**settings)
        if embedding.backend == "onnx" and cache_dir:
            from wtw.embeddings.onnx_int8 import load_onnx_encoder

            self.encoder: Any = load_onnx_encoder(embedding, Path(cache_dir))
        else:
            self.encoder = load_encoder(embedding)
        key = CacheKey.of(self.encoder)
        self.key = f"{key.backend}/{key.precision}"
        self.wanted = wanted

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        rows: dict[str, str] = {}
        for doc_hash, document in zip(batch["doc_hash"].tolist(), batch["document"].tolist(), strict=True):
            if self.wanted is None or doc_hash in self.wanted:
                rows.setdefault(str(doc_hash), str(document))
        vectors = (
            self.encoder.encode(list(rows.values()))
            if rows
            else np.empty((0, self.encoder.dim), dtype=np.float32)
        )
        return {
            "doc_hash": np.array(list(rows), dtype=object),
            "vector": np.asarray(vectors, dtype=np.float32),
            "key": np.array([self.key] * len(rows), dtype=object),
        }


def encode_with_ray(
    source: str | Path,
    settings: EmbeddingSettings,
    *,
    doc_hashes: Collection[str] | None = None,
    model_id: str,
    dim: int,
    cache_dir: Path | None = None,
    actors: int | None = None,
    batch_size: int | None = None,
) -> RayVectors:
    """Encode the documents of the catalog Parquet file ``source`` whose ``doc_hash`` is in ``doc_hashes``.

    Args:
        source: the catalog Parquet file (columns ``doc_hash`` and ``document``), readable on every worker.
        doc_hashes: the documents to encode; None encodes every document of the file.
        dim: the vector dimension the actors must produce.
        cache_dir: where the actors find (or make) the ONNX export; it must be readable on every worker.

    Returns:
        RayVectors: each wanted hash once (in no particular order) with its vector.
    """
    import ray

    wanted = None if doc_hashes is None else frozenset(doc_hashes)
    if wanted is not None and not wanted:
        return RayVectors([], np.empty((0, dim), dtype=np.float32), "", "")
    if not ray.is_initialized():
        ray.init(log_to_driver=False, include_dashboard=False, configure_logging=False)
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    actors = actors or max(1, gpus or min(4, int(resources.get("CPU", 1)) // 2))
    ds = ray.data.read_parquet(str(source), columns=["doc_hash", "document"])
    out = ds.map_batches(
        _EncodeActor,
        fn_constructor_kwargs={
            "settings": settings.model_dump(),
            "cache_dir": str(Path(cache_dir).resolve()) if cache_dir else None,
            "wanted": wanted,
        },
        batch_size=batch_size or 4 * (settings.batch_size or GPU_BATCH),
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_gpus=1 if gpus else 0,
    )
    vectors: dict[str, np.ndarray] = {}
    keys: set[str] = set()
    for batch in out.iter_batches(batch_format="numpy", batch_size=None):
        keys.update(batch["key"].tolist())
        for doc_hash, vector in zip(batch["doc_hash"].tolist(), np.asarray(batch["vector"]), strict=True):
            vectors.setdefault(doc_hash, vector)
    if len(keys) > 1:
        raise ArtifactError(f"ray actors embedded with different backends or precisions: {sorted(keys)}")
    if wanted is not None and vectors.keys() != wanted:
        raise ArtifactError(
            f"ray engine returned {len(vectors)} vectors for {len(wanted)} documents of {source}"
        )
    hashes = list(vectors)
    array = np.stack([vectors[h] for h in hashes]).astype(np.float32) if hashes else np.empty((0, dim))
    if array.shape != (len(hashes), dim):
        raise ArtifactError(f"ray engine vectors have shape {array.shape}, expected dim {dim}")
    backend, precision = keys.pop().split("/", 1) if keys else ("", "")
    logger.info("ray engine embedded %d documents with %d actors (model %s)", len(hashes), actors, model_id)
    return RayVectors(hashes, array, backend, precision)
