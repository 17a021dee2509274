"""`--engine ray`: the same encoder run by Ray Data (`map_batches` over an actor pool).

Locally this starts a Ray instance on this machine. To use a cluster, start the job where the cluster is
reachable and set ``RAY_ADDRESS`` (``RAY_ADDRESS=ray://head-node:10001 wtw embed --engine ray``), or submit
it with ``ray job submit --address http://head-node:8265 -- wtw embed --engine ray``. Every worker needs the
`wtw` package (``pip install 'wtw[ray,onnx]'``) and read access to the artifact root (S3 in production).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.errors import ArtifactError

if TYPE_CHECKING:
    from wtw.config import EmbeddingSettings

logger = logging.getLogger(__name__)


class _EncodeActor:
    """One encoder per Ray actor, loaded once and reused for every batch."""

    def __init__(self, settings: dict[str, Any], cache_dir: str | None) -> None:
        from wtw.config import EmbeddingSettings
        from wtw.embeddings.encoders import load_encoder

        embedding = EmbeddingSettings(**settings)
        if embedding.backend == "onnx" and cache_dir:
            from wtw.embeddings.onnx_int8 import load_onnx_encoder

            self.encoder: Any = load_onnx_encoder(embedding, Path(cache_dir))
        else:
            self.encoder = load_encoder(embedding)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        texts = [str(t) for t in batch["document"]]
        return {"row": batch["row"], "vector": self.encoder.encode(texts)}


def encode_with_ray(
    texts: Sequence[str],
    settings: EmbeddingSettings,
    *,
    model_id: str,
    cache_dir: Path | None = None,
    actors: int | None = None,
    batch_size: int | None = None,
) -> np.ndarray:
    """Encode ``texts`` with Ray Data; rows come back in input order.

    ``cache_dir`` is where the actors find (or make) the ONNX export; it must be readable on every worker.
    """
    import ray

    if not ray.is_initialized():
        ray.init(log_to_driver=False, include_dashboard=False, configure_logging=False)
    resources = ray.cluster_resources()
    gpus = int(resources.get("GPU", 0))
    actors = actors or max(1, gpus or min(4, int(resources.get("CPU", 1)) // 2))
    ds = ray.data.from_items([{"row": i, "document": t} for i, t in enumerate(texts)])
    out = ds.map_batches(
        _EncodeActor,
        fn_constructor_kwargs={
            "settings": settings.model_dump(),
            "cache_dir": str(Path(cache_dir).resolve()) if cache_dir else None,
        },
        batch_size=batch_size or settings.batch_size * 4,
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=actors),
        num_gpus=1 if gpus else 0,
    )
    vectors = np.zeros((len(texts), 0), dtype=np.float32)
    rows: list[np.ndarray] = []
    parts: list[np.ndarray] = []
    for batch in out.iter_batches(batch_format="numpy", batch_size=None):
        rows.append(batch["row"])
        parts.append(np.asarray(batch["vector"], dtype=np.float32))
    if not parts:
        return vectors
    order = np.concatenate(rows)
    result = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
    result[order] = np.concatenate(parts)
    if len(order) != len(texts) or len(np.unique(order)) != len(texts):
        raise ArtifactError(f"ray engine returned {len(order)} vectors for {len(texts)} documents")
    logger.info("ray engine embedded %d documents with %d actors (model %s)", len(texts), actors, model_id)
    return result
