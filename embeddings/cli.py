"""`wtw embed` (catalog → vectors artifact) and `wtw embed export-onnx`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wtw.config import get_settings
from wtw.progress import console, summarised

embed_app = typer.Typer(
    name="embed",
    help="Embed the latest catalog's title documents and publish a `vectors` artifact.",
    invoke_without_command=True,
    no_args_is_help=False,
)


def register(app: typer.Typer) -> None:
    """Add `wtw embed` and `wtw embed export-onnx`."""
    app.add_typer(embed_app)


@embed_app.callback()
def embed_command(
    ctx: typer.Context,
    *,
    engine: Annotated[
        str, typer.Option("--engine", help="'local' or 'ray' (Ray Data actor pool).")
    ] = "local",
    backend: Annotated[
        str | None, typer.Option("--backend", help="'sentence-transformers' or 'onnx' (default: settings).")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name or path (default: settings).")
    ] = None,
    batch_size: Annotated[int | None, typer.Option("--batch-size", min=1)] = None,
    catalog_version: Annotated[
        str | None, typer.Option("--catalog-version", help="Catalog artifact version (default: LATEST).")
    ] = None,
) -> None:
    """Embed the catalog; only documents not in the vector cache are encoded."""
    if ctx.invoked_subcommand is not None:
        return
    from wtw.embeddings.build import embed_catalog

    settings = get_settings()
    updates = {k: v for k, v in {"backend": backend, "model": model, "batch_size": batch_size}.items() if v}
    if updates:
        settings = settings.model_copy(update={"embedding": settings.embedding.model_copy(update=updates)})
    with summarised("embed") as summary:
        result = embed_catalog(settings, catalog_version=catalog_version, engine=engine)
        summary.read = result.count
        summary.notes += [
            f"{result.embedded:,} embedded",
            f"{result.reused:,} reused from cache",
            f"{result.titles_per_second:,.0f} titles/s",
            f"vectors {result.version} (catalog {result.catalog_version}, {result.model_id})",
        ]


@embed_app.command("export-onnx")
def export_onnx_command(
    *,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name or path (default: settings).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default: the cache dir, where `onnx` looks).")
    ] = None,
) -> None:
    """Export the embedding model to ONNX with int8 dynamic quantization (for `--backend onnx`)."""
    from wtw.embeddings.onnx_int8 import export_dir, export_onnx

    settings = get_settings()
    name = model or settings.embedding.model
    with summarised("export-onnx") as summary:
        path = export_onnx(name, out or export_dir(settings.cache_dir, name))
        summary.notes.append(f"written to {path}")
    console.print(f"use it with WTW_EMBEDDING__BACKEND=onnx (model {name})")
