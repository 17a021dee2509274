"""The query grammar: constraints, anchors, steers, people and fillers from many phrasings."""

from __future__ import annotations

import pytest

from wtw.service.recommend import Recommender
from wtw.service.recommend.query import tokenize

MOVIE = frozenset({"movie", "tvMovie"})
SERIES = frozenset({"tvSeries", "tvMiniSeries"})


def test_tokenize_folds_accents_joins_spellings_and_keeps_numbers() -> None:
    assert tokenize("Amélie's 1.5h sci-fi, 90's rom-com") == ["amelies", "1.5", "h", "scifi", "90s", "romcom"]


@pytest.mark.parametrize(
    ("query", "year_from", "year_to"),
    [
        ("movies from the 90s", 1990, 1999),
        ("80s action", 1980, 1989),
        ("thrillers from the 1970s", 1970, 1979),
        ("something from the nineties", 1990, 1999),
        ("comedies from the '80s", 1980, 1989),
        ("early 90s horror", 1990, 1993),
        ("late 80s movies", 1986, 1989),
        ("films from 1999", 1999, 1999),
        ("in 2005", 2005, 2005),
        ("movies before 1970", None, 1969),
        ("after 2010", 2011, None),
        ("since 2015", 2015, None),
        ("between 1990 and 2000", 1990, 2000),
        ("from 1990 to 1995", 1990, 1995),
        ("80s and 90s action", 1980, 1999),
        ("before the 80s", None, 1979),
        ("from the 00s", 2000, 2009),
        ("from the 2010s", 2010, 2019),
    ],
)
def test_years_and_decades(
    recommender: Recommender, query: str, year_from: int | None, year_to: int | None
) -> None:
    c = recommender.ctx.parse(query).constraints
    assert (c.year_from, c.year_to) == (year_from, year_to)


@pytest.mark.parametrize(
    ("query", "runtime_min", "runtime_max"),
    [
        ("under 90 minutes", None, 90),
        ("movies under 2 hours", None, 120),
        ("less than 100 min", None, 100),
        ("shorter than 1.5 hours", None, 90),
        ("at most an hour and a half", None, 90),
        ("comedy under 90", None, 90),
        ("90 minutes or less", None, 90),
        ("over 3 hours", 180, None),
        ("longer than 2h", 120, None),
        ("at least 2 hours", 120, None),
        ("something short", None, 100),
        ("under 1h30", None, 90),
    ],
)
def test_runtime(
    recommender: Recommender, query: str, runtime_min: int | None, runtime_max: int | None
) -> None:
    c = recommender.ctx.parse(query).constraints
    assert (c.runtime_min, c.runtime_max) == (runtime_min, runtime_max)


@pytest.mark.parametrize("query", ["under 1.0e999 hours", "over 1.0e400 minutes"])
def test_an_infinite_duration_is_text_not_a_crash(recommender: Recommender, query: str) -> None:
    c = recommender.ctx.parse(query).constraints
    assert (c.runtime_min, c.runtime_max) == (None, None)
    recommender.search(query, limit=5)


@pytest.mark.parametrize(
    ("query", "types"),
    [
        ("movies like alien", MOVIE),
        ("a good film", MOVIE),
        ("tv shows about chemistry", SERIES),
        ("crime series", SERIES),
        ("a tv series", SERIES),
        ("miniseries about war", frozenset({"tvMiniSeries"})),
        ("mini-series", frozenset({"tvMiniSeries"})),
        ("limited series", frozenset({"tvMiniSeries"})),
        ("movies or shows", MOVIE | SERIES),
        ("show me something funny", None),
    ],
)
def test_types(recommender: Recommender, query: str, types: frozenset[str] | None) -> None:
    assert recommender.ctx.parse(query).constraints.types == types


@pytest.mark.parametrize(
    "query",
    ["for kids", "movies for the kids", "something for children", "family friendly", "to watch with my kids"],
)
def test_audience_for_kids(recommender: Recommender, query: str) -> None:
    c = recommender.ctx.parse(query).constraints
    assert c.genres == frozenset({"Family", "Animation"})
    assert c.exclude_genres == frozenset({"Horror"})


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("like alien", "Alien"),
        ("movies like Alien", "Alien"),
        ("something like the matrix", "The Matrix"),
        ("films similar to Inception", "Inception"),
        ("in the style of se7en", "Se7en"),
        ("like the movie amelie", "Amélie"),
        ("like godfather part 2 but funny", "The Godfather Part II"),
        ("like alien from the 80s", "Alien"),
        ("like the matrx", "The Matrix"),
    ],
)
def test_like_title(recommender: Recommender, query: str, title: str) -> None:
    parsed = recommender.ctx.parse(query)
    assert parsed.like_row is not None
    assert recommender.ctx.table.title[parsed.like_row] == title


def test_like_then_constraints_are_split(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("like alien from the 80s under 2 hours")
    assert recommender.ctx.table.title[parsed.like_row or 0] == "Alien"
    assert (parsed.constraints.year_from, parsed.constraints.year_to, parsed.constraints.runtime_max) == (
        1980,
        1989,
        120,
    )


def test_i_would_like_is_not_an_anchor(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("I'd like to watch a comedy")
    assert parsed.like_row is None
    assert parsed.words == ["comedy"]


@pytest.mark.parametrize(
    ("query", "label", "sign", "genre"),
    [
        ("like Alien but funny", "funny", 1.0, "Comedy"),
        ("like alien but funnier", "funnier", 1.0, "Comedy"),
        ("like toy story but for adults", "for adults", 1.0, "Family"),
        ("like die hard but less violent", "violent", -1.0, "Action"),
        ("like the shining but scarier", "scarier", 1.0, "Horror"),
        ("like inception but set in japan", "set in japan", 1.0, None),
    ],
)
def test_steers(recommender: Recommender, query: str, label: str, sign: float, genre: str | None) -> None:
    parsed = recommender.ctx.parse(query)
    assert parsed.like_row is not None
    assert [(s.label, s.sign) for s in parsed.steers] == [(label, sign)]
    if genre is not None:
        assert genre in parsed.genre_boost


def test_steer_span_can_carry_constraints(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("like alien but from the 90s")
    assert parsed.steers == []
    assert (parsed.constraints.year_from, parsed.constraints.year_to) == (1990, 1999)


@pytest.mark.parametrize(
    ("query", "name", "role"),
    [
        ("by christopher nolan", "Christopher Nolan", "any"),
        ("movies directed by Steven Spielberg", "Steven Spielberg", "director"),
        ("films by nolan", "Christopher Nolan", "any"),
        ("with tom hanks", "Tom Hanks", "cast"),
        ("starring Sigourney Weaver", "Sigourney Weaver", "cast"),
        ("movies with brad pit", "Brad Pitt", "cast"),
        ("tom hanks movies", "Tom Hanks", "any"),
    ],
)
def test_people(recommender: Recommender, query: str, name: str, role: str) -> None:
    assert recommender.ctx.parse(query).people == [(name, role)]


def test_two_people(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("with tom hanks and tim allen")
    assert parsed.people == [("Tom Hanks", "cast"), ("Tim Allen", "cast")]


@pytest.mark.parametrize("query", ["movies with robots", "films with a twist ending", "by the sea"])
def test_with_or_by_without_a_person_stays_text(recommender: Recommender, query: str) -> None:
    parsed = recommender.ctx.parse(query)
    assert parsed.people == []
    assert parsed.words


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("movies like", []),
        ("something good to watch", []),
        ("show me some films", []),
        ("recommend me a great movie about heists", ["about", "heists"]),
        ("I want to watch something funny", ["funny"]),
    ],
)
def test_fillers_are_dropped(recommender: Recommender, query: str, words: list[str]) -> None:
    assert recommender.ctx.parse(query).words == words


def test_genre_words_boost_and_format_genres_filter(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("dark sci-fi thrillers")
    assert parsed.genre_boost.keys() >= {"Sci-Fi", "Thriller"}
    assert parsed.descriptive
    assert recommender.ctx.parse("nature documentaries").constraints.genres == frozenset({"Documentary"})
    assert recommender.ctx.parse("animated movies").constraints.genres == frozenset({"Animation"})


def test_a_bare_year_is_text_not_a_filter(recommender: Recommender) -> None:
    parsed = recommender.ctx.parse("1917")
    assert parsed.constraints.year_from is None
    assert parsed.words == ["1917"]
