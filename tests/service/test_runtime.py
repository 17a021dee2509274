"""Hot swap: a new artifact version is served with zero failed requests; polling and the admin route."""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from wtw.service import crud
from wtw.service.app import create_app
from wtw.service.models import Role
from wtw.service.runtime import GC_YOUNG_THRESHOLD, Loaded, Runtime

V1, V2 = "20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb"


class Versions:
    """A loader that serves whatever version the test publishes."""

    def __init__(self, make_loaded: Callable[..., Loaded]) -> None:
        self.make_loaded = make_loaded
        self.latest = V1
        self.calls = 0

    def __call__(self, _settings: Any, previous: Loaded | None) -> Loaded | None:
        self.calls += 1
        if previous is not None and previous.version == self.latest:
            return None
        time.sleep(0.05)  # building takes a while: requests keep flowing meanwhile
        return self.make_loaded(self.latest)


def test_hot_swap_under_concurrent_requests(settings: Any, make_loaded: Callable[..., Loaded]) -> None:
    versions = Versions(make_loaded)
    runtime = Runtime(settings, loader=versions)
    runtime.refresh()
    app = create_app(settings, runtime=runtime, migrate=True)
    statuses: list[int] = []
    stop = threading.Event()

    def hammer(client: TestClient) -> None:
        paths = (
            "/api/v1/titles/tt0068646/similar?limit=5",
            "/api/v1/search?q=godfather",
            "/api/v1/titles/tt0133093",
        )
        i = 0
        while not stop.is_set():
            statuses.append(client.get(paths[i % len(paths)]).status_code)
            i += 1

    with TestClient(app) as client, ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(hammer, client) for _ in range(4)]
        for latest in (V2, V1, V2, V1, V2):
            versions.latest = latest
            assert runtime.refresh() is True
            time.sleep(0.05)
        stop.set()
        for f in futures:
            f.result()
        assert runtime.current is not None and runtime.current.version == V2
    assert len(statuses) > 20
    assert set(statuses) == {200}


def test_failed_load_keeps_serving(settings: Any, make_loaded: Callable[..., Loaded]) -> None:
    runtime = Runtime(settings, loader=lambda _s, _p: make_loaded(V1))
    runtime.refresh()

    def broken(_s: Any, _p: Any) -> Loaded:
        raise RuntimeError("corrupt artifact")

    runtime._loader = broken
    assert runtime.refresh() is False
    assert runtime.current is not None and runtime.current.version == V1
    assert runtime.last_error is not None and "corrupt artifact" in runtime.last_error


def test_polling_picks_up_a_new_version(settings: Any, make_loaded: Callable[..., Loaded]) -> None:
    settings.service.artifact_poll_seconds = 0.05
    versions = Versions(make_loaded)
    runtime = Runtime(settings, loader=versions)
    runtime.refresh()
    runtime.start_polling()
    try:
        versions.latest = V2
        deadline = time.monotonic() + 5
        while runtime.current.version != V2 and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.02)
        assert runtime.current.version == V2  # type: ignore[union-attr]
    finally:
        runtime.stop()


def test_admin_reload(settings: Any, make_loaded: Callable[..., Loaded]) -> None:
    versions = Versions(make_loaded)
    runtime = Runtime(settings, loader=versions)
    runtime.refresh()
    app = create_app(settings, runtime=runtime, migrate=True)
    with TestClient(app) as client:
        client.post("/api/v1/auth/register", json={"username": "root", "password": "correct horse"})
        with Session(app.state.engine) as session:
            crud.set_role(session=session, username="root", role=Role.admin)
        token = client.post(
            "/api/v1/auth/token", data={"username": "root", "password": "correct horse"}
        ).json()
        h = {"Authorization": f"Bearer {token['access_token']}"}
        versions.latest = V2
        r = client.post("/api/v1/admin/reload", headers=h)
        assert r.status_code == 200
        assert r.json()["swapped"] is True
        assert r.json()["version"] == V2
        assert client.post("/api/v1/admin/reload", headers=h).json()["swapped"] is False


def test_no_index_yet_is_503_not_500(settings: Any) -> None:
    runtime = Runtime(settings, loader=lambda _s, _p: None)
    app = create_app(settings, runtime=runtime, migrate=True)
    with TestClient(app) as client:
        r = client.get("/api/v1/search?q=alien")
        assert r.status_code == 503
        assert r.headers["Retry-After"]
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200


class _Cyclic:
    """Stands for a served version whose objects form reference cycles (only the collector frees them)."""

    def __init__(self) -> None:
        self.me = self


def test_swap_freezes_the_served_version_and_frees_the_previous(
    settings: Any, make_loaded: Callable[..., Loaded]
) -> None:
    """The catalog's objects leave the cyclic collector's reach; a swap still frees the old version."""
    runtime = Runtime(settings, loader=lambda _s, _p: make_loaded(V1, recommender=_Cyclic()))
    threshold = gc.get_threshold()
    try:
        assert runtime.refresh() is True
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == GC_YOUNG_THRESHOLD
        old = weakref.ref(runtime.get().recommender)
        runtime._loader = lambda _s, _p: make_loaded(V2, recommender=_Cyclic())
        assert runtime.refresh() is True
        assert old() is None
        assert runtime.get().version == V2
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
