"""`wtw ingest` as a function: build the catalog, write it atomically, publish a ``catalog`` artifact."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from wtw.catalog.builder import CatalogSources, IngestReport, build_catalog
from wtw.catalog.schema import write_catalog
from wtw.config import Settings
from wtw.progress import make_progress


@dataclass
class IngestResult:
    """The built catalog, where it went, and the per-file report."""

    catalog: pl.DataFrame
    report: IngestReport
    version: str | None
    path: Path | None


def ingest(
    sources: CatalogSources,
    settings: Settings,
    *,
    out: Path | None = None,
    publish: bool = True,
    progress: bool = True,
) -> IngestResult:
    """Build the catalog from ``sources``; write it to ``out`` and/or publish it to the artifact store.

    Returns:
        IngestResult: the store version (None unless published), the written path (None without ``out``).
    """
    with make_progress(disable=not progress) as bar:
        task = bar.add_task("ingest", total=None)

        def step(name: str) -> None:
            bar.update(task, description=f"reading {name}", advance=1)

        catalog, report = build_catalog(sources, settings.catalog, step=step)
        bar.update(task, description=f"catalog: {catalog.height:,} titles")
    version = None
    if out is not None:
        write_catalog(catalog, out)
    if publish:
        from wtw.store import open_store

        with tempfile.TemporaryDirectory(prefix="wtw-catalog-") as tmp:
            path = write_catalog(catalog, Path(tmp) / "catalog.parquet")
            fields = {
                "rows": catalog.height,
                "rows_read": report.read,
                "rows_rejected": report.rejected,
                "sources": sorted({s for row in catalog["sources"].to_list() for s in row}),
            }
            version = open_store(settings).publish("catalog", {"catalog.parquet": path}, fields)
    return IngestResult(catalog, report, version, out)
