"""`wtw build`: catalog → embeddings → index in one command (what `make run` calls for the demo catalog).

Each step is skipped with ``--if-missing`` when its artifact already exists and was built from the current
artifact of the step before it, so re-running after a partial failure builds only what is missing or stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wtw.config import get_settings
from wtw.progress import console

if TYPE_CHECKING:
    from wtw.config import Settings
    from wtw.store import ArtifactStore


def register(app: typer.Typer) -> None:
    """Add `wtw build`."""
    app.command("build")(build_command)


def _current(store: ArtifactStore, kind: str, parent_field: str | None, parent: str | None) -> str | None:
    """The LATEST version of ``kind`` when it was built from ``parent`` (or needs no parent)."""
    if parent_field is None:
        return store.latest(kind)
    latest = store.latest_build(kind)
    return latest.version if latest.built_from(parent_field, parent) else None


def build_all(settings: Settings, *, demo: bool, source: Path | None, if_missing: bool) -> dict[str, str]:
    """Run the steps that are needed; returns the version of each artifact."""
    from wtw.catalog.builder import CatalogSources
    from wtw.catalog.ingest import ingest
    from wtw.embeddings.build import embed_catalog
    from wtw.index.build import build_index
    from wtw.store import open_store

    store = open_store(settings)
    catalog = _current(store, "catalog", None, None) if if_missing else None
    if catalog is None:
        if demo:
            from wtw.catalog.demo import demo_sources

            sources = demo_sources()
        else:
            sources = CatalogSources(imdb_dir=source or settings.data_dir)
        catalog = ingest(sources, settings).version
        assert catalog is not None
        console.print(f"catalog {catalog} published")
    vectors = _current(store, "vectors", "catalog_version", catalog) if if_missing else None
    if vectors is None:
        result = embed_catalog(settings, store=store, catalog_version=catalog)
        vectors = result.version
        console.print(f"vectors {vectors}: {result.embedded:,} embedded, {result.reused:,} reused")
    index = _current(store, "index", "vectors_version", vectors) if if_missing else None
    if index is None:
        built = build_index(settings, store=store, vectors_version=vectors)
        index = built.version
        console.print(
            f"index {index}: {built.kind} over {built.count:,} titles, recall@10 {built.recall_at_10}"
        )
    return {"catalog": catalog, "vectors": vectors, "index": index}


def build_command(
    *,
    demo: Annotated[bool, typer.Option("--demo", help="Build from the bundled demo catalog inputs.")] = False,
    source: Annotated[
        Path | None, typer.Option("--source", help="Folder of IMDb's .tsv(.gz) files (default: data dir).")
    ] = None,
    if_missing: Annotated[
        bool, typer.Option("--if-missing", help="Skip steps whose artifact is already current.")
    ] = False,
) -> None:
    """Ingest, embed and index in one go (each step publishes its artifact)."""
    versions = build_all(get_settings(), demo=demo, source=source, if_missing=if_missing)
    console.print("build: " + ", ".join(f"{kind} {version}" for kind, version in versions.items()))
