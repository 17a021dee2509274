"""One nightly run at a time: a PostgreSQL advisory lock, or a file lock beside the SQLite database.

The advisory lock is held by a dedicated connection and released by PostgreSQL when that connection ends, so a
killed run never leaves it stuck. The file lock (``flock``) is released by the kernel when the process dies.
A second run waits up to ``wait_seconds`` and then exits with a ConflictError naming the reason.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from wtw.errors import ConflictError

logger = logging.getLogger(__name__)

ADVISORY_KEY = 0x77747721  # "wtw!": the nightly job's advisory lock id
POLL_SECONDS = 0.2


def _sqlite_lock_path(url: str, fallback_dir: Path) -> Path:
    database = sa.make_url(url).database
    if database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".nightly.lock")
    return fallback_dir / "nightly.lock"


@contextmanager
def job_lock(url: str, *, wait_seconds: float = 0.0, fallback_dir: Path = Path("var")) -> Iterator[None]:
    """Hold the nightly lock for the block; ConflictError when another run holds it past ``wait_seconds``."""
    deadline = time.monotonic() + wait_seconds
    if url.startswith("sqlite"):
        path = _sqlite_lock_path(url, fallback_dir)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    _wait_or_fail(deadline, f"lock file {path}")
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            os.close(fd)  # closing releases the flock
        return
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            while not conn.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}).scalar():
                conn.rollback()
                _wait_or_fail(deadline, f"PostgreSQL advisory lock {ADVISORY_KEY}")
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
                conn.commit()
    finally:
        engine.dispose()


def _wait_or_fail(deadline: float, what: str) -> None:
    if time.monotonic() >= deadline:
        raise ConflictError(f"another nightly run is in progress (holds the {what}); try again when it ends")
    logger.info("waiting for the running nightly job (%s)", what)
    time.sleep(POLL_SECONDS)
