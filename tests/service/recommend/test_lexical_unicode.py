"""Lexical matching in any script: folding keeps non-Latin letters, so non-Latin alternate titles match."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from wtw.service.recommend import Recommender
from wtw.service.recommend.lexical import FuzzyNames, fold, normalise
from wtw.service.recommend.query import tokenize

from .conftest import FakeIndex


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Amélie", "amelie"),  # unchanged for Latin
        ("The Godfather: Part II", "the godfather part ii"),
        ("Амели", "амели"),
        ("Ёлки", "елки"),  # the diaeresis goes, as for Latin accents
        ("ЛЕВИАФАН", "левиафан"),
        ("千と千尋の神隠し", "千と千尋の神隠し"),
        ("기생충", "기생충"),  # Hangul syllables come back whole
        ("Straße", "strasse"),  # case folding, not just lower-casing
        ("ＡＢＣ　１２３", "abc 123"),  # full-width forms
        ("Ο Ταχυδρόμος!", "ο ταχυδρομοσ"),  # final sigma folds to sigma
        ("ガンダム", "ガンダム"),  # kana voicing marks are letters' parts, not accents
        ("Pokémon: ポケモン", "pokemon ポケモン"),
        ("हम आपके हैं कौन", "हम आपके हैं कौन"),  # Devanagari vowel signs stay inside their words
    ],
)
def test_fold_keeps_letters_of_any_script(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_tokenize_non_latin_queries() -> None:
    assert tokenize("Амели") == ["амели"]
    assert tokenize("千と千尋") == ["千と千尋"]
    assert tokenize("фильмы 90s, 1.5 hours") == ["фильмы", "90s", "1.5", "hours"]
    assert tokenize("2 hours ፩") == ["2", "hours", "፩"]  # an Ethiopic digit is no decimal


NAMES = [
    ("Amélie", 0),
    ("Амели", 0),
    ("Spirited Away", 1),
    ("千と千尋の神隠し", 1),
    ("Parasite", 2),
    ("기생충", 2),
    ("Leviathan", 3),
    ("Левиафан", 3),
    ("Brother", 4),
    ("Брат", 4),
]


@pytest.fixture(scope="module")
def names() -> FuzzyNames:
    return FuzzyNames([n for n, _ in NAMES], [o for _, o in NAMES], np.zeros(5, dtype=np.float32))


@pytest.mark.parametrize(
    ("query", "owner"),
    [("Амели", 0), ("амели", 0), ("千と千尋の神隠し", 1), ("기생충", 2), ("Левиафан", 3), ("брат", 4)],
)
def test_exact_non_latin_query_matches_its_alternate_title(names: FuzzyNames, query: str, owner: int) -> None:
    hits = names.match(query, k=3, min_score=90.0)
    assert hits and hits[0] == (owner, 100.0)


def test_non_latin_keys_are_indexed(names: FuzzyNames) -> None:
    assert normalise("千と千尋の神隠し") in names.keys
    assert names.match("千と千尋", k=3, min_score=60.0)[0][0] == 1  # a partial query still finds it


def test_latin_and_other_scripts_do_not_cross_match(names: FuzzyNames) -> None:
    assert names.match("Брат", k=5, min_score=60.0) == [(4, 100.0)]
    assert names.match("zzzz", k=5, min_score=60.0) == []


def test_search_finds_titles_by_non_latin_alternate_titles(catalog: pl.DataFrame, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    extra = {"tt0211915": ["Амели"], "tt0133093": ["黑客帝国", "Матрица"]}
    akas = [a + extra.get(t, []) for t, a in zip(catalog["tconst"], catalog["akas"].to_list(), strict=True)]
    catalog = catalog.with_columns(pl.Series("akas", akas))
    vectors = fake_encoder.encode(catalog["document"].to_list())
    engine = Recommender(catalog, FakeIndex(catalog["tconst"].to_list(), vectors), fake_encoder)
    for query, expected in [("Амели", "Amélie"), ("黑客帝国", "The Matrix"), ("матрица", "The Matrix")]:
        results = engine.search(query, limit=5)
        assert results and results[0].title == expected, (query, [r.title for r in results])
