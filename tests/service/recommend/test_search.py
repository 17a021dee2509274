"""Hybrid search: typos and partial titles, steering direction, people, filters, fillers."""

from __future__ import annotations

from typing import Any

import pytest

from wtw.service.recommend import Constraints, Recommender


def titles(results) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.title for r in results]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("godfather part 2", "The Godfather Part II"),
        ("Godfather Part II", "The Godfather Part II"),
        ("godfather part two", "The Godfather Part II"),
        ("godfather", "The Godfather"),
        ("amelie", "Amélie"),
        ("Amélie", "Amélie"),
        ("le fabuleux destin d'amelie poulain", "Amélie"),
        ("the matrx", "The Matrix"),
        ("matrix", "The Matrix"),
        ("inceptoin", "Inception"),
        ("interstelar", "Interstellar"),
        ("seven", "Se7en"),
        ("shindlers list", "Schindler's List"),
        ("raiders of the lost", "Raiders of the Lost Ark"),
        ("breaking bad", "Breaking Bad"),
    ],
)
def test_title_search_is_robust_to_typos_and_partial_titles(
    recommender: Recommender, query: str, expected: str
) -> None:
    assert titles(recommender.search(query, limit=5))[0] == expected


def test_popular_title_beats_obscure_namesake(recommender: Recommender) -> None:
    top = recommender.search("amelie", limit=2)
    assert [(r.title, r.type) for r in top] == [("Amélie", "movie"), ("Amelie", "short")]


def test_filler_words_never_match_titles(recommender: Recommender) -> None:
    for query in ("movies like", "films", "something", "show me something"):
        for r in recommender.search(query, limit=5):
            assert not any(reason.text.startswith("Title matches") for reason in r.reasons), (query, r)


def test_like_title_uses_the_titles_vector_and_excludes_it(recommender: Recommender) -> None:
    results = titles(recommender.search("movies like the matrix", limit=5))
    assert "The Matrix" not in results
    assert results[0] == "The Matrix Reloaded"


def _rank(results: list[str], title: str) -> int:
    return results.index(title) if title in results else len(results)


def test_steering_moves_toward_the_steer(recommender: Recommender) -> None:
    plain = titles(recommender.search("like alien", limit=20))
    funny = titles(recommender.search("like alien but funny", limit=20))
    comedies = ["Galaxy Quest", "Spaceballs", "Men in Black"]
    assert sum(_rank(funny, t) for t in comedies) < sum(_rank(plain, t) for t in comedies)
    assert funny[0] in comedies
    assert _rank(funny, "Aliens") > _rank(plain, "Aliens")


def test_steering_for_adults_moves_away_from_family_titles(recommender: Recommender) -> None:
    plain = titles(recommender.search("like toy story", limit=10))
    adult = titles(recommender.search("like toy story but for adults", limit=10))
    assert _rank(adult, "Anomalisa") < _rank(plain, "Anomalisa")
    assert _rank(adult, "The Secret Life of Pets") > _rank(plain, "The Secret Life of Pets")


def test_negative_steer_moves_away(recommender: Recommender) -> None:
    plain = titles(recommender.search("like die hard", limit=20))
    softer = titles(recommender.search("like die hard but less action", limit=20))
    assert _rank(softer, "Aliens") > _rank(plain, "Aliens")


def test_search_by_person(recommender: Recommender) -> None:
    results = recommender.search("by christopher nolan", limit=10)
    assert set(titles(results)) == {"Inception", "Interstellar", "Memento", "The Dark Knight"}
    assert all("Directed by Christopher Nolan" in [x.text for x in r.reasons] for r in results)


def test_search_with_actor_and_genre(recommender: Recommender) -> None:
    results = titles(recommender.search("tom hanks war movies", limit=3))
    assert results[0] == "Saving Private Ryan"
    assert set(results) <= {"Saving Private Ryan", "Forrest Gump", "Toy Story", "Toy Story 2"}


def test_directed_by_restricts_to_directing(recommender: Recommender) -> None:
    results = titles(recommender.search("directed by mel brooks", limit=10))
    assert results == ["Spaceballs"]


def test_text_constraints_become_filters(recommender: Recommender) -> None:
    for r in recommender.search("sci-fi movies from the 90s", limit=10):
        assert r.type in {"movie", "tvMovie"} and r.year is not None and 1990 <= r.year <= 1999
    for r in recommender.search("comedy under 100 minutes", limit=10):
        assert r.runtime_minutes is not None and r.runtime_minutes <= 100
    assert titles(recommender.search("war miniseries", limit=10)) == ["Band of Brothers"]
    for r in recommender.search("something for kids", limit=10):
        assert {"Family", "Animation"} & set(r.genres) and "Horror" not in r.genres


def test_caller_filter_applies_to_every_result(recommender: Recommender) -> None:
    f = Constraints(types=frozenset({"tvSeries"}))
    results = recommender.search("funny", limit=10, filter=f)
    assert results and all(r.type == "tvSeries" for r in results)
    assert recommender.search("the matrix", limit=5, filter=f)[0].type == "tvSeries"


def test_descriptive_query_ranks_by_meaning_and_genre(recommender: Recommender) -> None:
    results = recommender.search("scary horror", limit=3)
    assert "Horror" in results[0].genres


def test_exact_title_wins_even_when_made_of_vocabulary_words(recommender: Recommender) -> None:
    assert titles(recommender.search("the office", limit=3))[0] == "The Office"


def test_empty_and_odd_queries(recommender: Recommender) -> None:
    assert recommender.search("", limit=5) == []
    assert recommender.search("   ", limit=5) == []
    assert isinstance(recommender.search("!!! ??? ###", limit=5), list)
    assert isinstance(recommender.search("x" * 500, limit=5), list)
    assert len(recommender.search("movies", limit=3)) == 3


def test_results_carry_the_contract_fields(recommender: Recommender) -> None:
    r = recommender.search("alien", limit=1)[0]
    assert r.model_dump().keys() >= {"tconst", "title", "year", "type", "genres", "score", "reasons"}


def test_results_are_cached_per_query_limit_and_filter(
    recommender: Recommender, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wtw.service.recommend import search as S

    calls: list[str] = []
    ranked = S.search

    def counted(ctx: Any, q: str, **kwargs: Any) -> Any:
        calls.append(q)
        return ranked(ctx, q, **kwargs)

    monkeypatch.setattr(S, "search", counted)
    first = recommender.search("space horror", limit=5)
    assert recommender.search("space horror", limit=5) == first
    assert len(calls) == 1
    recommender.search("space horror", limit=4)
    movies = Constraints(types=frozenset({"movie"}))
    assert recommender.search("space horror", limit=5, filter=movies) == recommender.search(
        "space horror", limit=5, filter=Constraints(types=frozenset({"movie"}))
    )
    assert len(calls) == 3
