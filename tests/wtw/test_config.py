from __future__ import annotations

from pathlib import Path

import pytest

from wtw.config import Settings, get_settings


def test_defaults_are_the_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("WTW_DATABASE_URL", "WTW_ARTIFACT_ROOT"):
        monkeypatch.delenv(key, raising=False)
    settings = Settings()
    assert settings.database_url.startswith("sqlite:///var/")
    assert settings.artifact_root == "var/artifacts"
    assert settings.imdb_base_url == "https://datasets.imdbws.com/"


def test_environment_overrides_nested_sections(settings_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WTW_ARTIFACT_ROOT", "s3://bucket/prefix")
    monkeypatch.setenv("WTW_INDEX__HNSW_M", "24")
    monkeypatch.setenv("WTW_IMDB_BASE_URL", "http://127.0.0.1:9/imdb")
    get_settings.cache_clear()
    settings = get_settings()
    assert settings.artifact_root == "s3://bucket/prefix"
    assert settings.index.hnsw_m == 24
    assert settings.imdb_base_url.endswith("/imdb/")
    assert settings.data_dir == settings_env / "data"
