"""Database engine, sessions and migrations (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

logger = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    """An engine that fails fast when the server is down and recovers by itself when it is back."""
    if is_sqlite(url):
        path = sa.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn, _record) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=5,
        connect_args={"connect_timeout": 3},
    )


def session_scope(engine: Engine) -> Iterator[Session]:
    """One session per request (FastAPI dependency body)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


def alembic_config(url: str):
    """Alembic configuration pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (idempotent)."""
    from alembic import command

    if is_sqlite(url):
        make_engine(url).dispose()  # creates the parent folder
    command.upgrade(alembic_config(url), revision)
    logger.info("database at revision %s", revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def ping(engine: Engine) -> None:
    """Raise when the database does not answer."""
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))
