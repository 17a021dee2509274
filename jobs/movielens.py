"""`wtw users import-movielens DIR`: one account per MovieLens user, ratings through the API's import path.

Each user's ratings become an IMDb "Your Ratings" file (Const = tconst from ``links.csv``, 0.5-5 stars x 2 →
1-10) handed to :func:`wtw.service.imports.apply`, the function behind ``POST /me/imports``: the same
matching, validation and idempotence (re-running changes nothing). Accounts are named ``ml<userId>`` and
get no usable password (they exist to seed demos and evaluation, not to log in).

IMDb's "Date Rated" is a day, but the nightly gate holds out each user's *latest* ratings and MovieLens users
rate dozens of titles in one sitting: after each import the second of every rating the file wrote is put back.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import sqlalchemy as sa
from sqlmodel import Session

from wtw.errors import InputError
from wtw.progress import make_progress

logger = logging.getLogger(__name__)

NO_PASSWORD = "!movielens"  # not an argon2 hash: verification always fails
IMDB_HEADER = ["Const", "Your Rating", "Date Rated", "Title", "URL", "Title Type"]


@dataclass
class MovieLensImport:
    users: int = 0
    created: int = 0
    imported: int = 0
    skipped: int = 0
    unknown: int = 0  # linked to an IMDb id the catalog does not have
    unlinked: int = 0  # movieId without an IMDb id in links.csv


def read_movielens(directory: Path) -> pl.DataFrame:
    """userId, tconst, rating (1-10), date (YYYY-MM-DD), at (UTC, to the second) of every linked rating."""
    return _read(directory).filter(pl.col("tconst").is_not_null())


def _read(directory: Path) -> pl.DataFrame:
    """Every rating; ``tconst`` is null where links.csv gives its movieId no IMDb id."""
    for name in ("ratings.csv", "links.csv"):
        if not (directory / name).is_file():
            raise InputError(f"{directory / name} not found (expected a MovieLens ml-latest(-small) folder)")
    links = pl.read_csv(directory / "links.csv", schema_overrides={"imdbId": pl.Utf8, "tmdbId": pl.Utf8})
    links = links.filter(pl.col("imdbId").str.contains(r"^\d+$")).select(
        "movieId", ("tt" + pl.col("imdbId").str.zfill(7)).alias("tconst")
    )
    ratings = pl.read_csv(directory / "ratings.csv")
    at = pl.from_epoch("timestamp", time_unit="s").dt.replace_time_zone("UTC")
    rows = (
        ratings.join(links, on="movieId", how="left")
        .select(
            "userId",
            "tconst",
            (pl.col("rating") * 2).round().clip(1, 10).cast(pl.Int32).alias("rating"),
            at.dt.strftime("%Y-%m-%d").alias("date"),
            at.alias("at"),
        )
        .sort("userId", "at", "tconst")
    )
    return rows


def imdb_export(rows: pl.DataFrame) -> bytes:
    """One user's ratings in IMDb's "Your Ratings" CSV format."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMDB_HEADER)
    for tconst, rating, date in rows.select("tconst", "rating", "date").iter_rows():
        writer.writerow([tconst, rating, date, "", f"https://www.imdb.com/title/{tconst}/", "movie"])
    return out.getvalue().encode()


def import_movielens(
    directory: Path, *, engine: object, matcher: object, limit_users: int | None = None
) -> MovieLensImport:
    """Create the accounts (idempotent) and import each one's ratings; returns counts."""
    from wtw.service import crud, imports
    from wtw.service.models import User

    ratings = _read(directory)
    result = MovieLensImport()
    groups = ratings.partition_by("userId", as_dict=True, maintain_order=True)
    keys = list(groups)[:limit_users] if limit_users else list(groups)
    with make_progress() as progress, Session(engine, expire_on_commit=False) as session:  # type: ignore[arg-type]
        task = progress.add_task("importing MovieLens users", total=len(keys))
        for key in keys:
            ml_user = int(key[0])
            username = f"ml{ml_user}"
            user = crud.get_user_by_username(session=session, username=username)
            if user is None:
                user = User(username=username, password_hash=NO_PASSWORD, created_at=datetime.now(UTC))
                session.add(user)
                session.commit()
                session.refresh(user)
                result.created += 1
            user_id = int(user.id)  # type: ignore[arg-type]
            rows = groups[key].filter(pl.col("tconst").is_not_null())
            applied = imports.apply(
                session=session,
                user_id=user_id,
                data=imdb_export(rows),
                filename=f"movielens-{ml_user}.csv",
                matcher=matcher,  # type: ignore[arg-type]
            )
            restore_seconds(session, user_id, rows)
            session.expunge_all()  # one user's rows at a time in memory, none left stale by the update
            result.users += 1
            result.imported += applied.imported
            result.skipped += applied.skipped
            result.unknown += len(applied.unknown)
            result.unlinked += groups[key].height - rows.height
            progress.advance(task)
    logger.info("MovieLens import: %s", result)
    return result


def restore_seconds(session: Session, user_id: int, rows: pl.DataFrame) -> None:
    """Set ``rated_at`` to the MovieLens second where it is still the midnight the IMDb file carried.

    Only rows the import wrote match (a rating given in the app since has another time), and a second run
    finds none: the update is idempotent.
    """
    from wtw.service.models import Rating

    table = Rating.__table__  # type: ignore[attr-defined]
    stmt = (
        sa.update(table)
        .where(
            table.c.user_id == user_id,
            table.c.tconst == sa.bindparam("t"),
            table.c.rated_at == sa.bindparam("day"),
        )
        .values(rated_at=sa.bindparam("at"))
    )
    latest = dict(rows.select("tconst", "at").iter_rows())  # two movieIds of one IMDb id: the file's last
    params = [
        {"t": tconst, "day": at.replace(hour=0, minute=0, second=0), "at": at}
        for tconst, at in latest.items()
        if (at.hour, at.minute, at.second) != (0, 0, 0)
    ]
    if params:
        session.connection().execute(stmt, params)
        session.commit()
