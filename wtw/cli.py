"""The `wtw` command line: one root app; each package adds its own commands (one module per group)."""

from __future__ import annotations

import importlib
import sys

import typer

from wtw.config import get_settings
from wtw.errors import WtwError
from wtw.logging import configure_logging
from wtw.progress import console

app = typer.Typer(
    name="wtw",
    help="What To Watch: build the catalog, embeddings and index, serve the API, run the nightly job.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

COMMAND_MODULES = (
    "wtw.catalog.cli",
    "wtw.embeddings.cli",
    "wtw.index.cli",
    "wtw.service.cli",
    "wtw.jobs.cli",
    "wtw.evaluation.cli",
    "wtw.pipeline",
    "wtw.bench",
)
"""Each module defines ``register(app)``; heavy libraries are imported inside the commands, never here."""


@app.callback()
def _root(verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logging.")) -> None:
    configure_logging("DEBUG" if verbose else get_settings().log_level)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)


_register_all()


def main() -> None:
    """Entry point: user errors become a message and an exit code, not a traceback."""
    try:
        app(standalone_mode=False)
    except WtwError as exc:
        console.print(f"[bold red]error:[/] {exc}")
        sys.exit(exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        console.print("aborted")
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except Exception as exc:  # click usage errors carry their own exit codes
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise
