"""The loop closed: a MovieLens slice imported, `wtw jobs nightly` run, the feed uses the new model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from fastapi.testclient import TestClient

from wtw.jobs.movielens import import_movielens, read_movielens
from wtw.jobs.nightly import KIND, run_nightly

USERS, TITLES = 60, 150  # about 2,100 known ratings: enough for EASE to beat popularity on the gate


def movielens_slice(ml: Path, out: Path) -> Path:
    """The first USERS users of ml-latest-small (all their ratings) and the whole links.csv."""
    out.mkdir()
    ratings = pl.read_csv(ml / "ratings.csv").filter(pl.col("userId") <= USERS)
    ratings.write_csv(out / "ratings.csv")
    (out / "links.csv").write_bytes((ml / "links.csv").read_bytes())
    return out


def publish_catalog(settings: Any, ml: Path, ratings: pl.DataFrame, tmp: Path) -> pl.DataFrame:
    """The slice's TITLES most rated titles as a catalog (MovieLens titles and genres), published."""
    from wtw.catalog.builder import finish
    from wtw.catalog.schema import write_catalog
    from wtw.store import open_store

    links = pl.read_csv(ml / "links.csv", schema_overrides={"imdbId": pl.Utf8}).select(
        "movieId", ("tt" + pl.col("imdbId").str.zfill(7)).alias("tconst")
    )
    counts = ratings.group_by("tconst").agg(pl.len().alias("n"), pl.col("rating").mean().alias("mean"))
    top = counts.sort("n", "tconst", descending=[True, False]).head(TITLES)
    movies = pl.read_csv(ml / "movies.csv").join(links, on="movieId").join(top, on="tconst")
    frame = movies.select(
        "tconst",
        pl.col("title").str.replace(r"\s*\(\d{4}\)\s*$", "").alias("title"),
        pl.lit("movie").alias("type"),
        pl.col("title").str.extract(r"\((\d{4})\)\s*$").cast(pl.Int32).alias("start_year"),
        pl.col("genres").str.split("|").alias("genres"),
        (pl.col("mean") / 2).cast(pl.Float32).alias("rating"),
        (pl.col("n") * 1000).cast(pl.Int32).alias("votes"),
        pl.lit(["movielens"]).alias("sources"),
    )
    catalog = finish(frame, settings.catalog)
    path = write_catalog(catalog, tmp / "catalog.parquet")
    open_store(settings).publish("catalog", {"catalog.parquet": path}, {"rows": catalog.height})
    return catalog


def headers(settings: Any, user_id: int) -> dict[str, str]:
    from wtw.service.security import create_token, signing_key

    token = create_token(user_id=user_id, key=signing_key(settings), minutes=5)
    return {"Authorization": f"Bearer {token}"}


def user_id(engine: Any, username: str, *, admin: bool = False) -> int:
    from sqlmodel import Session

    from wtw.service import crud
    from wtw.service.models import Role, User

    with Session(engine) as session:
        user = crud.get_user_by_username(session=session, username=username)
        if user is None:
            user = User(username=username, password_hash="!")
            session.add(user)
            session.commit()
            session.refresh(user)
        if admin:
            crud.set_role(session=session, username=username, role=Role.admin)
        return int(user.id)  # type: ignore[arg-type]


def feed_reasons(client: TestClient, auth: dict[str, str]) -> list[set[str]]:
    r = client.get("/api/v1/me/feed?limit=20", headers=auth)
    assert r.status_code == 200, r.text
    return [{reason["kind"] for reason in item["reasons"]} for item in r.json()["items"]]


def test_import_then_nightly_then_the_feed_uses_the_published_model(
    database_url: str,
    settings_env: Path,
    shared_data: Path,
    fake_encoder: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import wtw.embeddings
    from wtw.config import get_settings
    from wtw.embeddings.build import embed_catalog
    from wtw.index.build import build_index
    from wtw.service.app import create_app
    from wtw.service.db import make_engine, upgrade
    from wtw.service.imports import TitleMatcher

    monkeypatch.setenv("WTW_JOBS__COLLAB_MIN_INTERACTIONS", "5")
    monkeypatch.setenv("WTW_SERVICE__ARTIFACT_POLL_SECONDS", "0")
    monkeypatch.setenv("WTW_SERVICE__UI_DIST", str(settings_env / "no-ui"))
    monkeypatch.setattr(wtw.embeddings, "load_encoder", lambda _settings: fake_encoder)
    get_settings.cache_clear()
    settings = get_settings()
    ml = shared_data / "movielens" / "ml-latest-small"
    folder = movielens_slice(ml, settings_env / "ml-slice")
    catalog = publish_catalog(settings, ml, read_movielens(folder), settings_env)
    embed_catalog(settings, encoder=fake_encoder, progress=False)
    build_index(settings)

    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        counts = import_movielens(folder, engine=engine, matcher=TitleMatcher.from_catalog(catalog))
        assert counts.users == USERS and counts.imported > 2000 and counts.unknown > 0
        ml1, root = user_id(engine, "ml1"), user_id(engine, "root", admin=True)
    finally:
        engine.dispose()

    with TestClient(create_app(settings, migrate=True)) as client:
        status = client.get("/api/v1/admin/status", headers=headers(settings, root)).json()
        assert status["version"] is not None and status["usermodel_version"] is None
        assert not any("collab" in kinds for kinds in feed_reasons(client, headers(settings, ml1)))

        result = run_nightly(settings)
        assert result.accepted, result.report["reasons"]
        assert USERS - 5 <= result.report["data"]["users"] <= USERS  # users with a liked title

        reloaded = client.post("/api/v1/admin/reload", headers=headers(settings, root)).json()
        assert reloaded["swapped"] is True and reloaded["usermodel_version"] == result.version
        status = client.get("/api/v1/admin/status", headers=headers(settings, root)).json()
        assert status["usermodel_version"] == result.version
        assert client.app.state.runtime.current.usermodel_version == result.version  # type: ignore[attr-defined]
        from wtw.store import open_store

        assert open_store(settings).latest(KIND) == result.version
        kinds = feed_reasons(client, headers(settings, ml1))
        assert sum("collab" in k for k in kinds) >= 3, kinds
