"""IMDb (+ MovieLens, TMDB, Kaggle) files → one catalog table and the text documents to embed."""

from wtw.catalog.builder import CatalogSources, IngestReport, build_catalog
from wtw.catalog.schema import CATALOG_SCHEMA, read_catalog, write_catalog

__all__ = [
    "CATALOG_SCHEMA",
    "CatalogSources",
    "IngestReport",
    "build_catalog",
    "read_catalog",
    "write_catalog",
]
