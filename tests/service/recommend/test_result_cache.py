"""The engine's result cache: packed entries round-trip and stay out of the cyclic collector's reach."""

from __future__ import annotations

import gc

from wtw.service.recommend.engine import ResultCache
from wtw.service.recommend.reasons import Reason


def test_entries_round_trip_and_the_oldest_goes_first() -> None:
    cache = ResultCache(2)
    ranked = [
        (3, 0.5, [Reason("shared_director", "Directed by X, like Y (1999)", "tt0000001")]),
        (7, 0.25, []),
    ]
    cache.put(("a",), ranked)
    assert cache.get(("a",)) == ranked
    assert cache.get(("a",)) is not cache.get(("a",))  # callers get their own lists
    cache.put(("b",), [])
    cache.put(("c",), [])
    assert cache.get(("a",)) is None and cache.get(("c",)) == []


def test_packed_entries_are_untracked_by_the_collector() -> None:
    cache = ResultCache(10)
    cache.put(("q", 10), [(1, 0.9, [Reason("popular", "Popular", None)])])
    (entry,) = cache._items.values()
    assert not gc.is_tracked(entry)
