"""The reference backend: sentence-transformers on CPU (fp32) or CUDA (fp16)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from wtw.embeddings.encoders import CPU_BATCH, GPU_BATCH, encode_sorted, resolve_model
from wtw.errors import ConfigError

logger = logging.getLogger(__name__)


class SentenceTransformerEncoder:
    """A sentence-transformers model; CUDA with fp16 when present unless a device is given."""

    backend = "sentence-transformers"

    def __init__(self, model: str, *, device: str | None = None, batch_size: int | None = None) -> None:
        import torch
        from sentence_transformers import SentenceTransformer

        resolved = resolve_model(model)
        device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        try:
            self.model = SentenceTransformer(resolved.source, device=device)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot load embedding model {model!r}: {exc}") from exc
        if device.startswith("cuda"):
            self.model.half()
        self.model_id = resolved.model_id
        self.device = device
        self.precision = "fp16" if device.startswith("cuda") else "fp32"
        getter = getattr(self.model, "get_embedding_dimension", None)
        dim = getter() if getter else self.model.get_sentence_embedding_dimension()
        if dim is None:
            raise ConfigError(f"model {model!r} does not declare its embedding dimension")
        self.dim = int(dim)
        self.batch_size = batch_size or (GPU_BATCH if device.startswith("cuda") else CPU_BATCH)
        logger.info("loaded %s on %s (%s, dim %d)", self.model_id, device, self.precision, self.dim)

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode(
        self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False
    ) -> np.ndarray:
        """(n, dim) float32, L2-normalised, in input order."""
        return encode_sorted(
            texts,
            self._encode_batch,
            dim=self.dim,
            batch_size=batch_size or self.batch_size,
            progress=progress,
        )
