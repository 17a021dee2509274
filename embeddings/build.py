"""`embed_catalog`: a catalog artifact → a published `vectors` artifact, embedding only what changed."""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wtw.embeddings.cache import VectorCache
from wtw.errors import ArtifactError, InputError

if TYPE_CHECKING:
    import polars as pl

    from wtw.config import Settings
    from wtw.embeddings.encoders import Encoder
    from wtw.store import ArtifactStore

logger = logging.getLogger(__name__)

ENGINES = ("local", "ray")
DOC_COLUMNS = ("tconst", "document", "doc_hash")


@dataclass(frozen=True)
class EmbedResult:
    """What one `wtw embed` run did."""

    version: str
    catalog_version: str
    model_id: str
    count: int
    reused: int
    embedded: int
    seconds: float

    @property
    def titles_per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds > 0 else 0.0


def read_documents(path: Path) -> pl.DataFrame:
    """tconst, document, doc_hash of a catalog Parquet file (clear error when a column is missing)."""
    import polars as pl

    try:
        frame = pl.read_parquet(path, columns=list(DOC_COLUMNS))
    except (pl.exceptions.ColumnNotFoundError, pl.exceptions.SchemaError) as exc:
        raise ArtifactError(f"{path} lacks a column of {DOC_COLUMNS}: {exc}") from exc
    if frame["document"].null_count() or frame["doc_hash"].null_count():
        raise ArtifactError(f"{path} has titles without a document or doc_hash")
    return frame


def embed_documents(
    documents: pl.DataFrame,
    encoder: Encoder,
    cache: VectorCache,
    *,
    engine: str = "local",
    settings: Settings | None = None,
    source: Path | None = None,
    progress: bool = True,
) -> tuple[np.ndarray, int, int]:
    """Vectors for every row of ``documents`` (catalog order); returns (vectors, reused, embedded).

    The ray engine reads the missing documents from ``source``, the catalog Parquet file of ``documents``.
    """
    if engine not in ENGINES:
        raise InputError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    hashes = documents["doc_hash"].to_list()
    found, vectors = cache.get(hashes)
    missing = np.flatnonzero(~found)
    # Identical documents (remakes with the same text) are embedded once.
    unique: dict[str, int] = {}
    for row in missing.tolist():
        unique.setdefault(hashes[row], row)
    if not unique:
        return vectors, int(found.sum()), 0
    if engine == "ray":
        if settings is None or source is None:
            raise ValueError("the ray engine needs settings and the catalog file")
        new_hashes, new = _encode_with_ray(
            source, list(unique), encoder, cache, settings, everything=not found.any()
        )
    else:
        new_hashes = list(unique)
        new = encoder.encode(documents["document"].gather(list(unique.values())).to_list(), progress=progress)
    cache.add(new_hashes, new)
    _, vectors = cache.get(hashes)
    return vectors, int(found.sum()), len(unique)


def _encode_with_ray(
    source: Path,
    doc_hashes: list[str],
    encoder: Encoder,
    cache: VectorCache,
    settings: Settings,
    *,
    everything: bool,
) -> tuple[list[str], np.ndarray]:
    """Ray Data vectors for ``doc_hashes``, refused when the actors' backend is not the cache's."""
    from wtw.embeddings.ray_engine import encode_with_ray

    result = encode_with_ray(
        source,
        settings.embedding,
        doc_hashes=None if everything else doc_hashes,
        model_id=encoder.model_id,
        dim=encoder.dim,
        cache_dir=settings.cache_dir,
    )
    if (result.backend, result.precision) != (cache.backend, cache.precision):
        raise ArtifactError(
            f"ray actors encoded with {result.backend} {result.precision}, the driver's encoder is "
            f"{cache.backend} {cache.precision}; set WTW_EMBEDDING__DEVICE so both use the same device"
        )
    if set(result.doc_hashes) != set(doc_hashes):
        raise ArtifactError(
            f"ray engine returned {len(result.doc_hashes)} vectors for {len(doc_hashes)} documents"
        )
    return result.doc_hashes, result.vectors


def embed_catalog(
    settings: Settings,
    *,
    store: ArtifactStore | None = None,
    encoder: Encoder | None = None,
    catalog_version: str | None = None,
    engine: str = "local",
    progress: bool = True,
) -> EmbedResult:
    """Embed a catalog artifact (default: LATEST) and publish a `vectors` artifact.

    Vectors are cached under ``settings.cache_dir`` by (model id, backend, precision, doc_hash), so a rebuild
    embeds only new or changed documents and never reuses another backend's vectors.
    """
    from wtw.store import open_store

    started = time.perf_counter()
    store = store or open_store(settings)
    catalog = store.fetch("catalog", catalog_version)
    documents = read_documents(catalog.file("catalog.parquet"))
    if encoder is None:
        from wtw.embeddings.encoders import load_encoder

        encoder = load_encoder(settings.embedding)
    cache = VectorCache.for_encoder(settings.cache_dir / "vectors", encoder)
    embed_started = time.perf_counter()
    vectors, reused, embedded = embed_documents(
        documents,
        encoder,
        cache,
        engine=engine,
        settings=settings,
        source=catalog.file("catalog.parquet"),
        progress=progress,
    )
    embed_seconds = time.perf_counter() - embed_started
    with tempfile.TemporaryDirectory(prefix="wtw-vectors-") as tmp:
        out = Path(tmp)
        np.save(out / "vectors.npy", vectors)
        (out / "tconsts.txt").write_text("\n".join(documents["tconst"].to_list()) + "\n")
        (out / "doc_hashes.txt").write_text("\n".join(documents["doc_hash"].to_list()) + "\n")
        version = store.publish(
            "vectors",
            {name: out / name for name in ("vectors.npy", "tconsts.txt", "doc_hashes.txt")},
            {
                "model_id": encoder.model_id,
                "dim": encoder.dim,
                "count": len(documents),
                "metric": "ip",
                "normalized": True,
                "catalog_version": catalog.version,
                "backend": cache.backend,
                "precision": cache.precision,
                "engine": engine,
                "reused": reused,
                "embedded": embedded,
            },
        )
    logger.info("embedded %d, reused %d in %.1f s", embedded, reused, time.perf_counter() - started)
    return EmbedResult(
        version, catalog.version, encoder.model_id, len(documents), reused, embedded, embed_seconds
    )
