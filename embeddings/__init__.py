"""Title documents → L2-normalised vectors (sentence-transformers, ONNX int8, Ray)."""

from wtw.embeddings.build import EmbedResult, embed_catalog, embed_documents, read_documents
from wtw.embeddings.cache import CacheKey, VectorCache
from wtw.embeddings.encoders import Encoder, load_encoder, resolve_model

__all__ = [
    "CacheKey",
    "EmbedResult",
    "Encoder",
    "VectorCache",
    "embed_catalog",
    "embed_documents",
    "load_encoder",
    "read_documents",
    "resolve_model",
]
