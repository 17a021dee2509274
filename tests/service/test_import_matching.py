"""Import parsing without a database: dates as spreadsheets write them, titles in any script."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from wtw.service.imports import TitleMatcher, normalise_title, parse_date


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2023-01-05", (2023, 1, 5)),
        ("2023-1-5", (2023, 1, 5)),
        ("2023/01/05", (2023, 1, 5)),
        ("2023.1.05", (2023, 1, 5)),
        ("2023-01-05T20:15:00Z", (2023, 1, 5)),
        ("2023-01-05 20:15", (2023, 1, 5)),
        ("20230105", (2023, 1, 5)),
        ("05.01.2023", (2023, 1, 5)),  # dots: day first
        ("25/01/2023", (2023, 1, 25)),  # only one reading
        ("01/25/2023", (2023, 1, 25)),
        ("5/5/2023", (2023, 5, 5)),
        ("  2023-01-05  ", (2023, 1, 5)),
    ],
)
def test_dates_read(text: str, day: tuple[int, int, int]) -> None:
    assert parse_date(text) == datetime(*day, tzinfo=UTC)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_missing_dates_are_none(text: str | None) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text", ["05/01/2023", "yesterday", "2023-02-30", "2023-13-01", "2023-01", "0000-01-01"]
)
def test_unreadable_dates_are_value_errors(text: str) -> None:
    with pytest.raises(ValueError, match=r"date|day"):
        parse_date(text)


def test_titles_fold_in_any_script() -> None:
    assert normalise_title("AMÉLIE") == normalise_title("Amélie") == "amelie"
    assert normalise_title("Ёлки") == normalise_title("ЕЛКИ") == "елки"
    assert normalise_title("千と千尋の神隠し") == "千と千尋の神隠し"
    assert normalise_title("Fast & Furious") == "fast and furious"
    assert normalise_title("?!") == ""


@pytest.fixture
def matcher() -> TitleMatcher:
    catalog = pl.DataFrame(
        {
            "tconst": ["tt0245429", "tt1758692", "tt0211915", "tt9999991"],
            "title": ["Spirited Away", "Yolki", "Amélie", "!!!"],
            "original_title": ["Sen to Chihiro no kamikakushi", "Ёлки", None, None],
            "akas": [["千と千尋の神隠し"], [], ["Амели"], []],
            "start_year": [2001, 2010, 2001, 2008],
            "votes": [850_000, 5_000, 790_000, 10],
        }
    )
    return TitleMatcher.from_catalog(catalog)


def test_non_latin_titles_match(matcher: TitleMatcher) -> None:
    assert matcher.match("千と千尋の神隠し", 2001) == "tt0245429"
    assert matcher.match("Елки", 2010) == "tt1758692"
    assert matcher.match("ЁЛКИ", None) == "tt1758692"
    assert matcher.match("Амели", 2002) == "tt0211915"  # within a year
    assert matcher.match("AMELIE", 2001) == "tt0211915"


def test_unknown_non_latin_titles_match_nothing(matcher: TitleMatcher) -> None:
    """ASCII folding read every CJK or Cyrillic title as '' and matched it to whatever else folded to ''."""
    assert matcher.match("おくりびと", 2008) is None
    assert matcher.match("Брат", 2001) is None
    assert matcher.match("???", 2008) is None
