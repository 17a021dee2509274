"""The built UI at /: files, the index.html fallback for client routes, JSON 404s under /api, odd paths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

INDEX = "<!doctype html><title>wtw</title>"


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: the UI route does not touch the database."""
    return f"sqlite:///{tmp_path / 'ui.db'}"


@pytest.fixture
def ui_client(tmp_path: Path, settings: Any, runtime: Any) -> Iterator[TestClient]:
    from wtw.service.app import create_app

    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(INDEX)
    (dist / "assets" / "app.js").write_text("console.log('wtw')")
    settings.service.ui_dist = str(dist)
    with TestClient(create_app(settings, runtime=runtime, migrate=True)) as c:
        yield c


def test_files_and_client_routes(ui_client: TestClient) -> None:
    assert ui_client.get("/assets/app.js").text == "console.log('wtw')"
    for path in ("/", "/search", "/title/tt0133093", "/assets", "/assets/missing.js"):
        r = ui_client.get(path)
        assert r.status_code == 200, path
        assert r.text == INDEX
        assert r.headers["cache-control"] == "no-cache"
    head = ui_client.head("/profile")
    assert head.status_code == 200
    assert head.content == b""


@pytest.mark.parametrize(
    "path", ["/%00", "/a%00b", "/" + "x" * 300, "/" + "y/" * 3000, "/%ff", "/../../etc/passwd"]
)
def test_odd_paths_never_500(ui_client: TestClient, path: str) -> None:
    r = ui_client.get(path)
    assert r.status_code == 200
    assert r.text == INDEX


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/api", "/api/", "/api/v1/nonexistent", "/api/v1/titles/tt0133093/nope"])
def test_unknown_api_paths_are_json_404(ui_client: TestClient, method: str, path: str) -> None:
    r = ui_client.request(method, path)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/json"
    if method != "HEAD":
        assert r.json() == {"detail": "Not Found"}


def test_api_errors_unchanged(ui_client: TestClient) -> None:
    r = ui_client.get("/api/v1/titles/tt0000001")
    assert r.status_code == 404
    assert "tt0000001" in r.json()["detail"]
    assert ui_client.delete("/api/v1/titles/tt0133093").status_code == 405
    assert ui_client.post("/healthz").status_code == 405
    assert ui_client.post("/some/client/route").status_code == 404


def test_no_ui_built(client: TestClient) -> None:
    assert client.get("/").status_code == 404
    assert client.post("/api/v1/typo").status_code == 404
    assert client.get("/%00").status_code == 404
