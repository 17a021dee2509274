"""`wtw index build`: the latest vectors artifact → a published FAISS index artifact."""

from __future__ import annotations

from typing import Annotated

import typer

from wtw.config import get_settings
from wtw.progress import summarised

index_app = typer.Typer(name="index", help="Build the FAISS title index.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `wtw index build`."""
    app.add_typer(index_app)


@index_app.command("build")
def build_command(
    *,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="auto, flat, hnsw or ivfpq (default: settings, auto by size)."),
    ] = None,
    vectors_version: Annotated[
        str | None, typer.Option("--vectors-version", help="Vectors artifact version (default: LATEST).")
    ] = None,
) -> None:
    """Index the latest vectors, measure recall@10 against exact search and publish an `index` artifact."""
    from wtw.index.build import build_index

    with summarised("index build") as summary:
        result = build_index(get_settings(), vectors_version=vectors_version, kind=kind)
        summary.read = result.count
        summary.notes += [
            f"{result.kind} index {result.version}",
            f"recall@10 {result.recall_at_10:.4f}",
            f"built in {result.build_seconds:.1f} s (vectors {result.vectors_version})",
        ]
