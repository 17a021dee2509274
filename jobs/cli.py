"""`wtw jobs nightly` and `wtw users import-movielens`."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Annotated

import typer

from wtw.errors import InputError
from wtw.progress import console, summarised

jobs_app = typer.Typer(help="The nightly job: preference vectors, collaborative model, quality gate.")
users_app = typer.Typer(help="User data in bulk.")

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_every(text: str) -> float:
    """'24h', '90m', '1d', '30s' → seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text)
    if not match:
        raise InputError(f"--every wants a number and a unit (s, m, h, d), e.g. 24h; got {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


@jobs_app.command("nightly")
def nightly(
    every: str | None = typer.Option(
        None, "--every", help="Run again at this interval (e.g. 24h) until stopped."
    ),
    wait: float | None = typer.Option(
        None, "--wait", help="Seconds to wait for a running job (default: settings)."
    ),
) -> None:
    """Rebuild preference vectors, train and gate the collaborative model, publish it when good enough."""
    from wtw.config import get_settings
    from wtw.jobs.nightly import run_nightly

    interval = parse_every(every) if every else None
    while True:
        started = time.monotonic()
        with summarised("nightly") as summary:
            result = run_nightly(get_settings(), wait_seconds=wait)
            data = result.report["data"]
            summary.read, summary.rejected = data["rows_read"], data["rows_rejected"]
            summary.notes += [
                f"{data['users']:,} users",
                f"published usermodel {result.version}" if result.accepted else "refused, previous kept",
                f"run {result.run_id}, report in {result.report_dir}",
            ]
        if interval is None:
            return
        pause = max(0.0, interval - (time.monotonic() - started))
        console.print(f"next run in {pause / 3600:.1f} h (Ctrl-C stops)")
        time.sleep(pause)


@users_app.command("import-movielens")
def import_movielens_cmd(
    directory: Annotated[Path, typer.Argument(help="A MovieLens folder with ratings.csv and links.csv.")],
    limit_users: int | None = typer.Option(None, "--limit-users", help="Import only the first N users."),
) -> None:
    """One account per MovieLens user, their ratings mapped to IMDb ids, through the API's import path."""
    from wtw.catalog import read_catalog
    from wtw.config import get_settings
    from wtw.errors import NotFoundError
    from wtw.jobs.movielens import import_movielens
    from wtw.service.db import make_engine, upgrade
    from wtw.service.imports import TitleMatcher
    from wtw.store import open_store

    settings = get_settings()
    store = open_store(settings)
    if store.latest("catalog") is None:
        raise NotFoundError("no catalog published yet: run `wtw build` (or `wtw ingest`) first")
    matcher = TitleMatcher.from_catalog(read_catalog(store.fetch("catalog").file("catalog.parquet")))
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        counts = import_movielens(directory, engine=engine, matcher=matcher, limit_users=limit_users)
    finally:
        engine.dispose()
    console.print(
        f"MovieLens: {counts.users:,} users ({counts.created:,} new), {counts.imported:,} ratings imported, "
        f"{counts.skipped:,} unchanged, {counts.unknown:,} not in the catalog, "
        f"{counts.unlinked:,} without an IMDb link"
    )


def register(app: typer.Typer) -> None:
    """Add `wtw jobs ...` and `wtw users ...`."""
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(users_app, name="users")
