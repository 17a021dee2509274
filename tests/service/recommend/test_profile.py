"""The preference-vector formula shared with the nightly job."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from wtw.service.recommend import Recommender, preference_vector, title_weights
from wtw.service.recommend.profile import decay

ALIEN, ALIENS, MATRIX, OFFICE = "tt0078748", "tt0090605", "tt0133093", "tt0386676"


def test_weights_by_kind(make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(
        make.rating(ALIEN, 10, days_ago=0),
        make.rating(MATRIX, 1, days_ago=0),
        make.event(ALIENS, "watchlist", days_ago=0),
        make.event(OFFICE, "not_interested", days_ago=0),
    )
    w = title_weights(u, make.now)
    assert w[ALIEN] == pytest.approx(1.0)
    assert w[MATRIX] == pytest.approx(-1.0)
    assert w[ALIENS] == pytest.approx(0.3)
    assert w[OFFICE] == pytest.approx(-0.6)


def test_latest_opinion_wins(make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.event(ALIEN, "dislike", days_ago=5), make.event(ALIEN, "like", days_ago=1))
    assert title_weights(u, make.now)[ALIEN] > 0
    u = make.user(make.rating(ALIEN, 3, days_ago=5), make.rating(ALIEN, 9, days_ago=1))
    assert title_weights(u, make.now)[ALIEN] == pytest.approx(
        (9 - 5.5) / 4.5 * decay(make.now - timedelta(days=1), make.now)
    )


def test_decay_has_a_half_life_and_a_floor(make) -> None:  # type: ignore[no-untyped-def]
    assert decay(make.now, make.now) == 1.0
    assert decay(make.now - timedelta(days=365), make.now) == pytest.approx(0.5)
    assert decay(make.now - timedelta(days=365 * 10), make.now) == 0.25


def test_no_positive_evidence_gives_no_vector(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    assert preference_vector(make.user(), recommender.ctx.space, make.now) is None
    assert preference_vector(make.user(make.rating(ALIEN, 2)), recommender.ctx.space, make.now) is None


def test_vector_is_normalised_and_moves_with_evidence(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    space = recommender.ctx.space
    one = preference_vector(make.user(make.rating(ALIEN, 10)), space, make.now)
    assert one is not None and np.linalg.norm(one) == pytest.approx(1.0, abs=1e-5)
    assert float(one @ space.vector(ALIEN)) == pytest.approx(1.0, abs=1e-5)
    two = preference_vector(make.user(make.rating(ALIEN, 10), make.rating(OFFICE, 1)), space, make.now)
    assert two is not None and float(two @ space.vector(OFFICE)) < float(one @ space.vector(OFFICE))


def test_same_formula_with_a_plain_index(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    class PlainIndex:
        def vector(self, tconst: str) -> np.ndarray:
            return recommender.ctx.space.vector(tconst)

    u = make.user(make.rating(ALIEN, 9), make.event(MATRIX, "like"), make.event(OFFICE, "dislike"))
    a = preference_vector(u, PlainIndex(), make.now)
    b = preference_vector(u, recommender.ctx.space, make.now)
    assert a is not None and b is not None and np.allclose(a, b)


def test_unknown_titles_are_skipped(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    u = make.user(make.rating("tt0000000", 10), make.rating(ALIEN, 10))
    v = preference_vector(u, recommender.ctx.space, make.now)
    assert v is not None and float(v @ recommender.ctx.space.vector(ALIEN)) == pytest.approx(1.0, abs=1e-5)


def test_onboarding_seeds(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    ctx = recommender.ctx
    u = make.user(liked_genres=["Horror"], liked_people=["Christopher Nolan"], liked_titles=[ALIEN])
    v = preference_vector(u, ctx.space, make.now, seeds=ctx.seeds)
    assert v is not None
    assert (
        preference_vector(make.user(liked_genres=["Horror"]), ctx.space, make.now) is None
    )  # seeds need SeedVectors
    assert (
        preference_vector(make.user(liked_genres=["Horror"]), ctx.space, make.now, seeds=ctx.seeds)
        is not None
    )
    assert ctx.seeds.genre("No Such Genre") is None and ctx.seeds.person("Nobody At All") is None


def test_seed_caches_are_bounded(recommender: Recommender) -> None:
    """Seed names come from users' preferences: made-up ones must not grow memory without bound."""
    from wtw.service.recommend.profile import SEED_CACHE, SeedVectors

    ctx = recommender.ctx
    seeds = SeedVectors(ctx.table, ctx.space)
    nolan = seeds.person("Christopher Nolan")
    assert nolan is not None
    for i in range(SEED_CACHE + 100):
        assert seeds.person(f"Nobody {i}") is None
        assert seeds.genre(f"Genre {i}") is None
    assert seeds.person.cache_info().currsize == SEED_CACHE
    assert seeds.genre.cache_info().currsize == SEED_CACHE
    np.testing.assert_array_equal(seeds.person("Christopher Nolan"), nolan)
