"""`wtw eval`: offline recommendation and search quality, written to reports/eval/."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DEFAULT_DATA = Path("../shared/data")
DEFAULT_OUT = Path("reports/eval")
DEFAULT_FOLDS = "u1,u2,u3,u4,u5"
DEFAULT_LAMBDAS = "100,300,1000"
DEFAULT_COLLAB_WEIGHTS = "1,2,4"


def register(app: typer.Typer) -> None:
    """Add `wtw eval`."""

    @app.command("eval")
    def eval_command(  # noqa: PLR0917 (typer parameters)
        data_root: Annotated[
            Path, typer.Option("--data", help="Folder holding movielens/ (and imdb/title.ratings.tsv.gz).")
        ] = DEFAULT_DATA,
        out: Annotated[Path, typer.Option("--out", help="Where report.md, plots and JSON go.")] = DEFAULT_OUT,
        folds: Annotated[
            str, typer.Option(help="ml-100k folds of protocol (b), comma-separated.")
        ] = DEFAULT_FOLDS,
        lambdas: Annotated[
            str, typer.Option(help="EASE lambdas tried on the validation split.")
        ] = DEFAULT_LAMBDAS,
        catalog: Annotated[
            Path | None,
            typer.Option(
                "--catalog",
                help="Embed this catalog Parquet (its MovieLens titles) instead of the published artifacts.",
            ),
        ] = None,
        engine: Annotated[
            bool, typer.Option("--engine/--no-engine", help="Evaluate the service's feeds and search.")
        ] = True,
        collab_weights: Annotated[
            str,
            typer.Option(
                help="Feed collaborative weights w_k tried beside the shipped one on the validation split "
                "('' skips the tuned row)."
            ),
        ] = DEFAULT_COLLAB_WEIGHTS,
    ) -> None:
        """Compare popularity, item-kNN, EASE, the content-only and hybrid feeds; judge search quality."""
        from wtw.config import get_settings
        from wtw.errors import InputError
        from wtw.evaluation.report import describe_machine, write_report
        from wtw.evaluation.suite import SuiteConfig, run_suite
        from wtw.progress import console

        try:
            grid = tuple(float(x) for x in lambdas.split(",") if x.strip())
        except ValueError as exc:
            raise InputError(f"--lambdas must be numbers: {lambdas!r}") from exc
        try:
            weights = tuple(float(x) for x in collab_weights.split(",") if x.strip())
        except ValueError as exc:
            raise InputError(f"--collab-weights must be numbers: {collab_weights!r}") from exc
        config = SuiteConfig(
            data_root=data_root,
            ease_lambdas=grid,
            folds=tuple(f.strip() for f in folds.split(",") if f.strip()),
            use_engine=engine,
            catalog_path=catalog,
            collab_weights=weights,
        )
        machine = describe_machine()
        result = run_suite(config, get_settings(), progress=lambda msg: console.print(f"[cyan]eval[/] {msg}"))
        args = _args(data_root, out, folds, lambdas, engine)
        if catalog is not None:
            args += f" --catalog {catalog}"
        if collab_weights != DEFAULT_COLLAB_WEIGHTS:
            args += f" --collab-weights '{collab_weights}'"
        path = write_report(result, out, command=f"wtw eval {args}".strip(), machine=machine)
        console.print(f"eval: report written to {path} ({result.seconds:.0f} s)")
        for note in result.notes:
            console.print(f"[yellow]note:[/] {note}")


def _args(data_root: Path, out: Path, folds: str, lambdas: str, engine: bool) -> str:
    parts = []
    if data_root != DEFAULT_DATA:
        parts.append(f"--data {data_root}")
    if out != DEFAULT_OUT:
        parts.append(f"--out {out}")
    if folds != DEFAULT_FOLDS:
        parts.append(f"--folds {folds}")
    if lambdas != DEFAULT_LAMBDAS:
        parts.append(f"--lambdas {lambdas}")
    if not engine:
        parts.append("--no-engine")
    return " ".join(parts)
