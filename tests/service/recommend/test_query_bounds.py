"""Per-query work is bounded: catalog lookups for "like X" / "by Y" phrases, steers, concurrent encodes."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from wtw.service.recommend import Recommender
from wtw.service.recommend.query import MAX_LOOKUPS, MAX_STEERS, QueryParser


def _counting_parser() -> tuple[QueryParser, list[str]]:
    calls: list[str] = []

    def title(span: str) -> None:
        calls.append(span)

    def person(span: str, _surname: bool) -> None:
        calls.append(span)

    return QueryParser(title, person, 2026), calls  # type: ignore[arg-type]


def test_like_and_person_phrases_beyond_the_cap_are_plain_words() -> None:
    parser, calls = _counting_parser()
    query = " ".join(["like nothing known", "by nobody at all", "with no one"] * 30)
    parsed = parser.parse(query)
    assert parsed.lookups == MAX_LOOKUPS
    assert len(calls) <= MAX_LOOKUPS * 10  # a phrase tries at most ten spans
    assert "nothing" in parsed.words and "nobody" in parsed.words  # the rest is still searched as text


def test_phrases_inside_steers_share_the_cap() -> None:
    parser, _ = _counting_parser()
    parsed = parser.parse(" ".join(["but with nobody"] * 20))
    assert parsed.lookups == MAX_LOOKUPS


def test_steers_are_capped() -> None:
    parser, _ = _counting_parser()
    parsed = parser.parse("like nothing " + " ".join(f"but more w{i}" for i in range(40)))
    assert len(parsed.steers) == MAX_STEERS


def test_a_long_query_still_parses_the_first_phrases(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("like alien but funny " + "but " * 100 + "with tom hanks")
    assert parsed.like_row == recommender.ctx.row("tt0078748")
    assert parsed.steers and parsed.steers[0].label == "funny"


class _OneAtATimeEncoder:
    """Fails if two threads encode at once, as a shared Hugging Face fast tokenizer can."""

    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner = inner
        self.busy = threading.Lock()

    def encode(self, texts, **kwargs) -> np.ndarray:  # type: ignore[no-untyped-def]
        if not self.busy.acquire(blocking=False):
            raise RuntimeError("Already borrowed")
        try:
            time.sleep(0.005)
            return self.inner.encode(texts, **kwargs)
        finally:
            self.busy.release()


def test_searches_in_many_threads_never_encode_at_once(catalog, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    from .conftest import FakeIndex

    vectors = fake_encoder.encode(catalog["document"].to_list())
    engine = Recommender(
        catalog, FakeIndex(catalog["tconst"].to_list(), vectors), _OneAtATimeEncoder(fake_encoder)
    )
    queries = [f"space adventure number {i} but funny" for i in range(24)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: engine.search(q, limit=3), queries))
    assert all(results)
