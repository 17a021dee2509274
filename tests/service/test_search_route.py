"""/search: cache misses run off the event loop, cache hits stay on it, queries have a length cap."""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from wtw.service.api.routes import search as route

SEARCH = "/api/v1/search"


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def spy(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> dict[str, list[bool]]:
    """Records, for each computed search, whether it ran on the event loop, and each thread hop."""
    seen: dict[str, list[bool]] = {"computed": [], "hops": []}
    recommender = client.app.state.runtime.get().recommender  # type: ignore[attr-defined]
    search = recommender.search

    def spied(*args: Any, **kwargs: Any) -> Any:
        seen["computed"].append(_on_event_loop())
        return search(*args, **kwargs)

    hop = route.run_in_threadpool

    async def counted(*args: Any, **kwargs: Any) -> Any:
        seen["hops"].append(True)
        return await hop(*args, **kwargs)

    monkeypatch.setattr(recommender, "search", spied)
    monkeypatch.setattr(route, "run_in_threadpool", counted)
    return seen


def test_a_miss_is_computed_off_the_loop_and_a_hit_needs_no_thread(
    client: TestClient, spy: dict[str, list[bool]]
) -> None:
    params = {"q": f"space horror like alien but funny {uuid4().hex}", "limit": 7}  # a miss on each database
    first = client.get(SEARCH, params=params)
    assert first.status_code == 200, first.text
    assert spy["computed"] == [False] and len(spy["hops"]) == 1
    second = client.get(SEARCH, params=params)
    assert second.json() == first.json()
    assert spy["computed"] == [False] and len(spy["hops"]) == 1  # served from the cache, on the loop


def test_blank_query_needs_no_thread(client: TestClient, spy: dict[str, list[bool]]) -> None:
    r = client.get(SEARCH, params={"q": "   "})
    assert r.status_code == 200 and r.json()["items"] == []
    assert spy["hops"] == []


def test_query_length_is_capped(client: TestClient) -> None:
    assert client.get(SEARCH, params={"q": "a" * route.MAX_QUERY}).status_code == 200
    r = client.get(SEARCH, params={"q": "a" * (route.MAX_QUERY + 1)})
    assert r.status_code == 422
    assert f"at most {route.MAX_QUERY} characters" in r.text


@pytest.mark.parametrize("q", ["Амели", "千と千尋の神隠し", "2 hours ፩", "like " * 59, "but with " * 33])
def test_odd_and_heavy_queries_answer(client: TestClient, q: str) -> None:
    assert client.get(SEARCH, params={"q": q}).status_code == 200
