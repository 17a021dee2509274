"""Fixtures for every test package: staged data, isolated settings, PostgreSQL, a deterministic encoder."""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
PG_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data beside the checkout (IMDb slices, MovieLens, TMDB)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"staged data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def settings_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point every WTW_ path at a fresh temporary directory; yields that directory."""
    from wtw.config import get_settings

    for key in list(os.environ):
        if key.startswith("WTW_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("WTW_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WTW_ARTIFACT_ROOT", str(tmp_path / "artifacts"))
    monkeypatch.setenv("WTW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("WTW_DATABASE_URL", f"sqlite:///{tmp_path / 'wtw.db'}")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _pg_available() -> bool:
    import sqlalchemy as sa

    try:
        engine = sa.create_engine(PG_ADMIN_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL database of this test run's own, dropped at the end (fails loudly when PG is down)."""
    import sqlalchemy as sa

    if not _pg_available():
        pytest.fail(
            "PostgreSQL is not reachable at 127.0.0.1:5432; start it with "
            "`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`"
        )
    name = f"wtw_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


class HashingEncoder:
    """Deterministic bag-of-words encoder for unit tests only: shared words give similar vectors."""

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.model_id = f"test-hashing-{dim}"

    def encode(
        self, texts: Sequence[str], *, batch_size: int | None = None, progress: bool = False
    ) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
            norm = np.linalg.norm(out[i])
            out[i] = out[i] / norm if norm else np.eye(1, self.dim, dtype=np.float32)[0]
        return out


@pytest.fixture(scope="session")
def fake_encoder() -> HashingEncoder:
    """A fast deterministic encoder (never used by the product)."""
    return HashingEncoder()
