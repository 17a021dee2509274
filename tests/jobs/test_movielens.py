"""`wtw users import-movielens` on a tiny MovieLens folder, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from sqlmodel import Session, select

from wtw.errors import InputError
from wtw.jobs.movielens import import_movielens, read_movielens
from wtw.service.imports import TitleMatcher

TOY_STORY, JUMANJI, NOT_IN_CATALOG = "tt0114709", "tt0113497", "tt9999999"
# userId, movieId, stars, timestamp: movie 3 has no IMDb link, movie 4's IMDb id is not in the catalog.
RATINGS = [
    (1, 1, 4.5, 964982703),  # 2000-07-30 18:45:03 UTC
    (1, 2, 0.5, 964981247),
    (1, 3, 3.0, 964982224),
    (1, 4, 2.0, 964983815),
    (2, 1, 5.0, 1445714835),
    (2, 2, 3.0, 1445715000),
]


def movielens_dir(tmp: Path) -> Path:
    folder = tmp / "ml-tiny"
    folder.mkdir()
    (folder / "links.csv").write_text("movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,8844\n4,9999999,\n")
    lines = [f"{u},{m},{r},{t}" for u, m, r, t in RATINGS]
    (folder / "ratings.csv").write_text("userId,movieId,rating,timestamp\n" + "\n".join(lines) + "\n")
    return folder


def matcher() -> TitleMatcher:
    return TitleMatcher.from_catalog(pl.DataFrame({"tconst": [TOY_STORY, JUMANJI], "title": ["a", "b"]}))


def stored(url: str) -> dict[tuple[str, str], tuple[int, datetime]]:
    """(username, tconst) → (rating, rated_at in UTC)."""
    from wtw.service.db import make_engine
    from wtw.service.models import Rating, User

    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.exec(select(User.username, Rating.tconst, Rating.rating, Rating.rated_at).join(Rating))
        out = {(u, t): (r, at.replace(tzinfo=UTC) if at.tzinfo is None else at) for u, t, r, at in rows}
    engine.dispose()
    return out


def test_read_maps_stars_and_keeps_the_second(tmp_path: Path) -> None:
    rows = read_movielens(movielens_dir(tmp_path))
    assert rows["tconst"].to_list() == [JUMANJI, TOY_STORY, NOT_IN_CATALOG, TOY_STORY, JUMANJI]  # by time
    assert rows["rating"].to_list() == [1, 9, 4, 10, 6]
    assert rows["at"][1] == datetime(2000, 7, 30, 18, 45, 3, tzinfo=UTC)
    assert rows["date"][1] == "2000-07-30"


def test_missing_files_are_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"ratings\.csv not found"):
        read_movielens(tmp_path)


def test_import_one_account_per_user_idempotent(database_url: str, tmp_path: Path) -> None:
    from wtw.service.db import make_engine, upgrade

    upgrade(database_url)
    folder = movielens_dir(tmp_path)
    engine = make_engine(database_url)
    try:
        first = import_movielens(folder, engine=engine, matcher=matcher())
        after_first = stored(database_url)
        again = import_movielens(folder, engine=engine, matcher=matcher())
    finally:
        engine.dispose()
    assert (first.users, first.created, first.imported) == (2, 2, 4)
    assert (first.unknown, first.unlinked) == (1, 1)
    assert after_first == {
        ("ml1", TOY_STORY): (9, datetime(2000, 7, 30, 18, 45, 3, tzinfo=UTC)),
        ("ml1", JUMANJI): (1, datetime.fromtimestamp(964981247, UTC)),
        ("ml2", TOY_STORY): (10, datetime.fromtimestamp(1445714835, UTC)),
        ("ml2", JUMANJI): (6, datetime.fromtimestamp(1445715000, UTC)),
    }
    assert (again.users, again.created, again.imported, again.skipped) == (2, 0, 0, 5)
    assert (again.unknown, again.unlinked) == (1, 1)
    assert stored(database_url) == after_first


def test_limit_users_imports_the_first_ones(database_url: str, tmp_path: Path) -> None:
    from wtw.service.db import make_engine, upgrade

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        counts = import_movielens(movielens_dir(tmp_path), engine=engine, matcher=matcher(), limit_users=1)
    finally:
        engine.dispose()
    assert (counts.users, counts.imported, counts.unlinked) == (1, 2, 1)
    assert {u for u, _ in stored(database_url)} == {"ml1"}
