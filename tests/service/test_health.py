"""Health, readiness, metrics, body limits, error mapping, the database outage (503, then recovery)."""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient


def test_healthz_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json()["checks"] == {"index": "20260101T000000Z-test01", "database": "ok"}


def test_metrics(client: TestClient) -> None:
    client.get("/api/v1/titles/tt0133093")
    client.get("/api/v1/titles/tt0000001")
    text = client.get("/metrics").text
    assert (
        'wtw_request_seconds_bucket{le="0.01",method="GET",route="/api/v1/titles/{tconst}",status="200"}'
        in text
    )
    assert 'route="/api/v1/titles/{tconst}",status="404"' in text
    assert (
        'wtw_index_info{catalog_version="20260101T000000Z-cat001",usermodel_version="",'
        'version="20260101T000000Z-test01"} 1.0' in text
    )
    assert "wtw_catalog_titles 16.0" in text


def test_json_body_limit(client: TestClient) -> None:
    r = client.post("/api/v1/auth/register", json={"username": "ana", "password": "x" * 300_000})
    assert r.status_code == 413


def test_openapi_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/auth/register",
        "/api/v1/auth/token",
        "/api/v1/titles/{tconst}",
        "/api/v1/titles/{tconst}/similar",
        "/api/v1/search",
        "/api/v1/me/ratings/{tconst}",
        "/api/v1/me/ratings",
        "/api/v1/me/feedback",
        "/api/v1/me/preferences",
        "/api/v1/me/imports",
        "/api/v1/me/feed",
    ):
        assert path in paths


class Proxy:
    """A TCP relay to PostgreSQL that the test can cut and restore: a database outage without touching PG."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self._conns: list[socket.socket] = []
        self._server: socket.socket | None = None

    def start(self) -> None:
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", self.port))
        server.listen(16)
        self._server = server
        threading.Thread(target=self._accept, args=(server,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            with contextlib.suppress(OSError):
                self._server.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self._server.close()
            self._server = None
        for conn in self._conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
        self._conns.clear()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._conns += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)


@pytest.mark.postgres
def test_database_outage_is_503_and_recovers(
    pg_migrated: str, settings_env: Any, make_loaded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wtw.config import get_settings
    from wtw.service.app import create_app
    from wtw.service.runtime import Runtime

    proxy = Proxy(("127.0.0.1", 5432))
    proxy.start()
    url = pg_migrated.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    monkeypatch.setenv("WTW_DATABASE_URL", url)
    get_settings.cache_clear()
    settings = get_settings()
    runtime = Runtime(settings, loader=lambda _s, _p: None)
    runtime.install(make_loaded())
    try:
        with TestClient(create_app(settings, runtime=runtime)) as client:
            body = {"username": "outage", "password": "correct horse"}
            client.post("/api/v1/auth/register", json=body)
            token = client.post("/api/v1/auth/token", data=body).json()["access_token"]
            h = {"Authorization": f"Bearer {token}"}
            assert client.get("/api/v1/me/ratings", headers=h).status_code == 200

            proxy.stop()
            for method, path in (
                ("GET", "/api/v1/me/ratings"),
                ("GET", "/api/v1/me/feed"),
                ("PUT", "/api/v1/me/ratings/tt0133093"),
            ):
                r = client.request(method, path, headers=h, json={"rating": 8})
                assert r.status_code == 503, (path, r.text)
                assert r.headers["Retry-After"]
            assert client.post("/api/v1/auth/token", data=body).status_code == 503
            assert client.get("/readyz").status_code == 503
            assert client.get("/api/v1/titles/tt0133093").status_code == 200  # the catalog needs no database

            proxy.start()
            assert client.get("/api/v1/me/ratings", headers=h).status_code == 200
            assert (
                client.put("/api/v1/me/ratings/tt0133093", json={"rating": 8}, headers=h).status_code == 200
            )
            assert client.get("/readyz").status_code == 200
    finally:
        proxy.stop()


def test_dead_database_port_is_503(
    settings_env: Any, make_loaded: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wtw.config import get_settings
    from wtw.service.app import create_app
    from wtw.service.runtime import Runtime

    monkeypatch.setenv("WTW_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/test")
    get_settings.cache_clear()
    settings = get_settings()
    runtime = Runtime(settings, loader=lambda _s, _p: None)
    runtime.install(make_loaded())
    with TestClient(create_app(settings, runtime=runtime)) as client:
        r = client.post("/api/v1/auth/register", json={"username": "ana", "password": "correct horse"})
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "5"
        assert client.get("/readyz").json()["checks"]["database"].startswith("unreachable")


def test_probes_answer_head(client: TestClient) -> None:
    for path in ("/healthz", "/readyz"):
        r = client.head(path)
        assert r.status_code == 200, path
        assert r.content == b""


def test_readyz_head_is_503_without_an_index(settings: Any) -> None:
    from wtw.service.app import create_app
    from wtw.service.runtime import Runtime

    runtime = Runtime(settings, loader=lambda _s, _p: None)
    with TestClient(create_app(settings, runtime=runtime, migrate=True)) as client:
        assert client.head("/healthz").status_code == 200
        r = client.head("/readyz")
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "5"


def test_metrics_method_label_is_bounded(client: TestClient) -> None:
    for method in ("FOO", "BREW", "X" * 50):
        client.request(method, "/api/v1/titles/tt0133093")
    text = client.get("/metrics").text
    assert 'method="other",route="/api/v1/titles/{tconst}",status="405"' in text
    assert "FOO" not in text
    assert "BREW" not in text
