"""Similar titles: the title's vector, the caller's negatives, MMR, filters."""

from __future__ import annotations

import pytest

from wtw.errors import NotFoundError
from wtw.service.recommend import Constraints, Recommender

GODFATHER, GODFATHER2, GODFATHER3 = "tt0068646", "tt0071562", "tt0099674"
ALIEN, ALIENS = "tt0078748", "tt0090605"


def test_similar_to_a_title(recommender: Recommender) -> None:
    results = recommender.similar(GODFATHER, limit=3)
    assert [r.tconst for r in results][:2] == [GODFATHER2, GODFATHER3]
    assert GODFATHER not in [r.tconst for r in results]
    assert any("Francis Ford Coppola" in reason.text for reason in results[0].reasons)
    assert all(r.reasons for r in results)


def test_similar_honours_filters(recommender: Recommender) -> None:
    f = Constraints(year_from=1980, types=frozenset({"movie"}))
    results = recommender.similar(ALIEN, limit=5, filter=f)
    assert results and all(r.type == "movie" and (r.year or 0) >= 1980 for r in results)


def test_similar_leaves_out_the_callers_dislikes_and_pushes_away(recommender: Recommender, make) -> None:  # type: ignore[no-untyped-def]
    plain = [r.tconst for r in recommender.similar(ALIEN, limit=10)]
    assert ALIENS in plain
    u = make.user(make.event(ALIENS, "dislike"))
    personal = [r.tconst for r in recommender.similar(ALIEN, limit=10, signals=u)]
    assert ALIENS not in personal


def test_mmr_diversifies(recommender: Recommender) -> None:
    results = recommender.similar("tt0114709", limit=4)  # Toy Story
    assert len({tuple(sorted(r.genres)) for r in results}) >= 3


def test_unknown_title_is_not_found(recommender: Recommender) -> None:
    with pytest.raises(NotFoundError):
        recommender.similar("tt0000000", limit=3)
    with pytest.raises(NotFoundError):
        recommender.title("tt0000000")


def test_title_detail(recommender: Recommender) -> None:
    d = recommender.title(GODFATHER)
    assert d.title == "The Godfather" and d.year == 1972 and "Marlon Brando" in d.cast
    assert "Le Parrain" in d.akas


def test_similar_is_cached_but_not_shared_between_filters(recommender: Recommender) -> None:
    a = recommender.similar(ALIEN, limit=3)
    assert recommender.similar(ALIEN, limit=3) == a
    series = recommender.similar(ALIEN, limit=3, filter=Constraints(types=frozenset({"tvSeries"})))
    assert all(r.type == "tvSeries" for r in series)
