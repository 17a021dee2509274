"""title.basics' fast path (one streaming pass, typing inside the plan) against the counting reader.

Whatever the path, read_basics must give the same titles, the same tconst numbers and the same report: bad
ids rejected with an example, unparsable integers noted, the first row of a repeated tconst kept.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from wtw.catalog import imdb
from wtw.catalog.tsv import FileReport

TYPES = ("movie", "tvSeries", "short")

ODD_ROWS = [
    "tt0000001\tmovie\tFirst\tFirst\t0\t1999\t\\N\t90\tDrama",
    "tt0000001\tmovie\tRepeat\tRepeat\t0\t2000\t\\N\t91\tComedy",  # the first of a tconst is kept
    "tt00000001\tmovie\tSame number\tSame\t0\t2001\t\\N\t92\tDrama",  # other string, same number: kept
    "tt0000002\ttvEpisode\tEpisode\tEpisode\t0\t2001\t\\N\t22\tDrama",
    "tt0000003\tmovie\tAdult\tAdult\t1\t2001\t\\N\t80\tAdult",
    "bad-id\tmovie\tBad\tBad\t0\t2000\t\\N\t90\tDrama",
    "\\N\tmovie\tNull id\tNull\t0\t2000\t\\N\t90\tDrama",
    "tt12\tshort\tToo short an id\tT\t0\t2000\t\\N\t5\tShort",
    "tt99999999999\tmovie\tOver 2^32\tBig\t0\t2020\t\\N\t100\tDrama",
    "tt0000004\ttvSeries\t\\N\tOriginal only\t0\t19x9\t 2005 \tabc\tComedy,Drama",
    "tt0000005\tmovie\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N",
    "tt0000006\tshort\tSpaces\tSpaces\t0\t 1999\tend\t1e3\t,",
    "tt0000007\tMovie\tWrong case\tW\t0\t1999\t\\N\t90\tDrama",
]


def _read(path: Path, *, stream: bool, monkeypatch: pytest.MonkeyPatch, **options):
    report = FileReport("title.basics")
    with monkeypatch.context() as patch:
        if stream:
            patch.setattr(imdb, "_scan_basics", lambda *args, **kwargs: None)
        titles, ids = imdb.read_basics(path, report, types=TYPES, include_adult=False, **options)
    return titles, ids, report


@pytest.mark.parametrize("gz", [False, True])
@pytest.mark.parametrize("extra", [None, [2, 4]], ids=["no-extra", "extra"])
def test_fast_path_types_checks_and_reports_as_the_counting_reader(
    write_imdb, monkeypatch: pytest.MonkeyPatch, gz: bool, extra: list[int] | None
) -> None:
    path = write_imdb("title.basics", ODD_ROWS, gz=gz)
    options = {"extra": pl.Series(extra, dtype=pl.UInt32)} if extra else {}
    assert imdb._scan_basics(
        path,
        FileReport("fast"),
        types=TYPES,
        include_adult=False,
        extra=pl.Series(extra or [], dtype=pl.UInt32),
    )
    fast, fast_ids, fast_report = _read(path, stream=False, monkeypatch=monkeypatch, **options)
    stream, stream_ids, stream_report = _read(path, stream=True, monkeypatch=monkeypatch, **options)
    assert fast.equals(stream) and fast.schema == stream.schema
    assert fast_ids.sort().equals(stream_ids.sort(), check_names=False)
    assert fast_report == stream_report
    kept = ["tt0000001", "tt00000001", "tt99999999999", "tt0000004", "tt0000005", "tt0000006"]
    if extra:
        kept.insert(2, "tt0000002")
    assert fast["tconst"].to_list() == kept
    assert fast.row(0, named=True)["title"] == "First"
    assert fast_report.read == len(ODD_ROWS) and fast_report.rejected == 3
    assert fast_report.examples == ["bad id 'bad-id'"]
    assert fast_report.notes == [
        "1 unparsable years set to null (e.g. '19x9')",
        "1 unparsable end years set to null (e.g. 'end')",
        "2 unparsable runtimes set to null (e.g. 'abc')",
    ]
    series = fast.filter(pl.col("tconst") == "tt0000004").row(0, named=True)
    assert series["title"] == "Original only" and series["end_year"] == 2005 and series["start_year"] is None
    blank = fast.filter(pl.col("tconst") == "tt0000005").row(0, named=True)
    assert blank["title"] == "" and blank["genres"] == [] and blank["original_title"] is None
    assert fast.filter(pl.col("tconst") == "tt0000006")["start_year"].to_list() == [1999]


def test_distinct_tconsts_are_not_deduplicated_by_string(write_imdb, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [f"tt{n:07d}\tmovie\tT{n}\tT{n}\t0\t1999\t\\N\t90\tDrama" for n in (5, 3, 9, 1)]
    path = write_imdb("title.basics", rows)
    titles, ids, report = _read(path, stream=False, monkeypatch=monkeypatch)
    assert titles["tconst"].to_list() == ["tt0000005", "tt0000003", "tt0000009", "tt0000001"]
    assert ids.to_list() == [5, 3, 9, 1] and report.rejected == 0 and not report.notes


def test_no_kept_type_gives_an_empty_typed_frame(write_imdb) -> None:
    path = write_imdb("title.basics", ODD_ROWS)
    report = FileReport("title.basics")
    titles, ids = imdb.read_basics(path, report, types=(), include_adult=True)
    assert titles.height == 0 and titles.columns == [
        "tconst", "title", "original_title", "type", "start_year", "end_year", "runtime_minutes", "genres",
    ]  # fmt: skip
    assert ids.len() == len(ODD_ROWS) - 3 and report.read == len(ODD_ROWS)


def test_header_only_file_reads_through_the_fast_path(write_imdb) -> None:
    path = write_imdb("title.basics", [])
    fast = imdb._scan_basics(
        path, FileReport("fast"), types=TYPES, include_adult=False, extra=pl.Series([], dtype=pl.UInt32)
    )
    assert fast is not None and fast[0].height == 0 and fast[1].len() == 0
    titles, _ = imdb.read_basics(path, FileReport("title.basics"), types=TYPES, include_adult=False)
    assert titles.height == 0


def test_a_null_in_a_row_that_is_not_kept_still_sends_the_file_to_the_counting_reader(write_imdb) -> None:
    rows = [ODD_ROWS[0], "tt0000002\ttvEpisode\tEp\t\t0\t2001\t\\N\t22\tDrama"]  # empty field in an episode
    path = write_imdb("title.basics", rows)
    assert (
        imdb._scan_basics(
            path, FileReport("fast"), types=TYPES, include_adult=False, extra=pl.Series([], dtype=pl.UInt32)
        )
        is None
    )
    report = FileReport("title.basics")
    titles, ids = imdb.read_basics(path, report, types=TYPES, include_adult=False)
    assert titles["tconst"].to_list() == ["tt0000001"] and sorted(ids.to_list()) == [1, 2]
    assert report.read == 2 and report.rejected == 0


def test_small_batches_read_as_one(write_imdb, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_imdb("title.basics", ODD_ROWS)
    whole, whole_ids, whole_report = _read(path, stream=False, monkeypatch=monkeypatch)
    monkeypatch.setattr(imdb, "SCAN_BATCH_ROWS", 2)
    batched, batched_ids, batched_report = _read(path, stream=False, monkeypatch=monkeypatch)
    assert batched.equals(whole) and batched_ids.equals(whole_ids) and batched_report == whole_report
    short_last = write_imdb("title.basics", [*ODD_ROWS, "tt0000009\tmovie\tShort row"])
    assert (
        imdb._scan_basics(
            short_last,
            FileReport("fast"),
            types=TYPES,
            include_adult=False,
            extra=pl.Series([], dtype=pl.UInt32),
        )
        is None
    )
