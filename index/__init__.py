"""Vectors → FAISS index with tconst ↔ row vocabulary, filtered search and vector helpers."""

from wtw.index.build import IndexResult, build_index
from wtw.index.filters import TitleFilter
from wtw.index.title_index import Hit, TitleIndex
from wtw.index.vectors import mmr, weighted_centroid
from wtw.index.vocab import Vocab

__all__ = [
    "Hit",
    "IndexResult",
    "TitleFilter",
    "TitleIndex",
    "Vocab",
    "build_index",
    "mmr",
    "weighted_centroid",
]
