"""The IMDb TSV reader on the format's edge cases: bare quotes, \\N, unicode, empty arrays, bad rows."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from wtw.catalog import imdb
from wtw.catalog.tsv import IMDB_FILES, FileReport, read_tsv

BASICS = IMDB_FILES["title.basics"]


def _basics(write_imdb, lines: list[str], gz: bool = False) -> tuple[pl.DataFrame, FileReport]:
    path = write_imdb("title.basics", lines, gz=gz)
    report = FileReport("title.basics")
    return read_tsv(path, BASICS, report), report


def test_bare_quotes_are_kept_verbatim(write_imdb) -> None:
    frame, report = _basics(
        write_imdb,
        [
            'tt0000001\tmovie\t"Weird" Al\tHe said "hi\t0\t1999\t\\N\t90\tComedy',
            'tt0000002\tshort\tA "quoted" title\t"\t0\t2000\t\\N\t5\tShort',
        ],
    )
    assert report.rejected == 0
    assert frame["primaryTitle"].to_list() == ['"Weird" Al', 'A "quoted" title']
    assert frame["originalTitle"].to_list() == ['He said "hi', '"']


def test_backslash_n_is_null_and_unicode_survives(write_imdb) -> None:
    frame, _ = _basics(
        write_imdb, ["tt0211915\tmovie\tAmélie\tLe fabuleux destin d'Amélie Poulain\t0\t\\N\t\\N\t\\N\t\\N"]
    )
    rec = frame.row(0, named=True)
    assert rec["startYear"] is None and rec["runtimeMinutes"] is None and rec["genres"] is None
    assert rec["originalTitle"] == "Le fabuleux destin d'Amélie Poulain"


def test_short_and_long_rows_are_rejected_with_examples(write_imdb) -> None:
    frame, report = _basics(
        write_imdb,
        [
            "tt0000001\tmovie\tGood\tGood\t0\t1999\t\\N\t90\tDrama",
            "tt0000002\tmovie\tShort row",
            "tt0000003\tmovie\tLong\tLong\t0\t1999\t\\N\t90\tDrama\textra",
            "tt0000004\tmovie\t東京物語\t東京物語\t0\t1953\t\\N\t136\tDrama",
        ],
    )
    assert frame["tconst"].to_list() == ["tt0000001", "tt0000004"]
    assert report.read == 2 and report.rejected == 2
    assert any("Short row" in e for e in report.examples) and any("extra" in e for e in report.examples)


def test_gzip_and_plain_read_the_same(write_imdb, tmp_path: Path) -> None:
    lines = ["tt0000001\tmovie\tA\tA\t0\t1999\t\\N\t90\tDrama,Comedy"]
    plain, _ = _basics(write_imdb, lines)
    packed, _ = _basics(write_imdb, lines, gz=True)
    assert plain.equals(packed)


def test_header_only_file_gives_empty_frame(write_imdb) -> None:
    frame, report = _basics(write_imdb, [])
    assert frame.height == 0 and report.read == 0
    assert frame.columns == list(BASICS)


def test_basics_types_years_and_empty_arrays(write_imdb) -> None:
    path = write_imdb(
        "title.basics",
        [
            "tt0000001\tmovie\tA\tA\t0\t1999\t\\N\t90\t\\N",
            "tt0000002\ttvEpisode\tEp\tEp\t0\t2001\t\\N\t22\tDrama",
            "tt0000003\tmovie\tAdult\tAdult\t1\t2001\t\\N\t80\tAdult",
            "tt0000004\ttvSeries\tS\tS\t0\t19x9\t2005\tabc\tComedy,Drama",
            "bad-id\tmovie\tB\tB\t0\t2000\t\\N\t90\tDrama",
        ],
    )
    report = FileReport("title.basics")
    titles, all_ids = imdb.read_basics(path, report, types=("movie", "tvSeries"), include_adult=False)
    assert titles["tconst"].to_list() == ["tt0000001", "tt0000004"]
    assert titles["genres"].to_list() == [[], ["Comedy", "Drama"]]
    series = titles.row(1, named=True)
    assert series["start_year"] is None and series["end_year"] == 2005 and series["runtime_minutes"] is None
    assert report.rejected == 1  # the malformed tconst
    assert any("unparsable years" in n for n in report.notes)
    assert any("unparsable runtimes" in n for n in report.notes)
    assert sorted(all_ids.to_list()) == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('["Neo"]', "Neo"),
        ('["Neo","Thomas A. Anderson"]', "Neo / Thomas A. Anderson"),
        ('["The \\"Kid\\""]', 'The "Kid"'),
        (None, ""),
    ],
)
def test_characters_are_unwrapped(raw: str | None, expected: str) -> None:
    frame = pl.DataFrame({"characters": [raw]}, schema={"characters": pl.String})
    assert frame.select(imdb._characters("characters"))["characters"][0] == expected


def test_empty_or_wrong_files_are_clear_errors(tmp_path: Path) -> None:
    from wtw.errors import InputError

    empty = tmp_path / "title.basics.tsv"
    empty.write_text("")
    with pytest.raises(InputError, match="not an IMDb TSV"):
        read_tsv(empty, BASICS, FileReport("title.basics"))
    other = tmp_path / "other.tsv"
    other.write_text("a\tb\n1\t2\n")
    with pytest.raises(InputError, match="tconst"):
        read_tsv(other, BASICS, FileReport("title.basics"))


def test_adult_titles_are_kept_when_asked(write_imdb) -> None:
    path = write_imdb("title.basics", ["tt0000003\tmovie\tAdult\tAdult\t1\t2001\t\\N\t80\tAdult"])
    titles, _ = imdb.read_basics(path, FileReport("b"), types=("movie",), include_adult=True)
    assert titles.height == 1


@pytest.mark.parametrize("gz", [False, True])
def test_invalid_utf8_lines_are_rejected_and_the_rest_is_read(tmp_path: Path, gz: bool) -> None:
    import gzip

    lines = [
        "\t".join(BASICS).encode(),
        b"tt0000001\tmovie\tGood\tGood\t0\t1999\t\\N\t90\tDrama",
        b"tt0000002\tmovie\tBad \xff byte\tBad\t0\t1999\t\\N\t90\tDrama",
        b"tt0000003\tmovie\tRagged and bad \xfe",
        "tt0000004\tmovie\t東京物語\t東京物語\t0\t1953\t\\N\t136\tDrama".encode(),
    ]
    data = b"\n".join(lines)  # no newline after the last line
    path = tmp_path / ("title.basics.tsv.gz" if gz else "title.basics.tsv")
    path.write_bytes(gzip.compress(data) if gz else data)
    report = FileReport("title.basics")
    frame = read_tsv(path, BASICS, report)
    assert frame["tconst"].to_list() == ["tt0000001", "tt0000004"]
    assert report.read == 2 and report.rejected == 2
    assert report.examples[0].startswith("invalid UTF-8: tt0000002\tmovie\tBad \ufffd byte")


def test_lines_split_across_chunks_are_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wtw.catalog import utf8

    monkeypatch.setattr(utf8, "CHUNK_SIZE", 7)
    rows = [f"tt{i:07d}\tmovie\tT{i}\tT{i}\t0\t1999\t\\N\t90\tDrama".encode() for i in range(1, 40)]
    rows[20] = rows[20].replace(b"T21\t", b"T\xc3\t")  # a truncated two-byte sequence
    path = tmp_path / "title.basics.tsv"
    path.write_bytes("\t".join(BASICS).encode() + b"\n" + b"\n".join(rows) + b"\n")
    report = FileReport("title.basics")
    frame = read_tsv(path, BASICS, report)
    assert frame.height == 38 and report.rejected == 1
    assert "tt0000021" not in frame["tconst"].to_list()
    assert frame["primaryTitle"][-1] == "T39"


SCAN_OPTIONS = {"types": ("movie",), "include_adult": False, "extra": pl.Series([], dtype=pl.UInt32)}


def _both_readers(
    path: Path, **options
) -> tuple[tuple[pl.DataFrame, pl.Series], tuple[pl.DataFrame, pl.Series]]:
    """title.basics through polars' scan and through the counting Arrow stream, each with its own report."""
    options = {
        "types": ("movie", "tvSeries", "short"),
        "include_adult": False,
        "extra": pl.Series([1], dtype=pl.UInt32),
    } | options
    fast = imdb._scan_basics(path, FileReport("fast"), **options)
    assert fast is not None
    return fast, imdb._stream_basics(path, FileReport("stream"), **options)


@pytest.mark.parametrize(
    "slice_name", ["famous40", "all7-head99", "head50k-2025-02", "movies-sample2000-2022-10"]
)
def test_scan_reads_the_staged_slices_as_the_stream_does(shared_data: Path, slice_name: str) -> None:
    path = next((shared_data / "imdb" / slice_name).glob("title.basics.tsv*"))
    (fast, fast_ids), (stream, stream_ids) = _both_readers(path)
    assert fast.height > 0
    assert fast.equals(stream) and fast_ids.equals(stream_ids, check_names=False)


@pytest.mark.parametrize(
    ("odd_line", "kept", "read", "rejected"),
    [
        ("tt0000003\tmovie\tShort row", ["tt0000004"], 3, 1),
        ("tt0000003\tmovie\tLong\tLong\t0\t1999\t\\N\t90\tDrama\textra", ["tt0000004"], 3, 1),
        ("tt0000003\tmovie\tEmpty\t\t0\t1999\t\\N\t90\tDrama", ["tt0000003", "tt0000004"], 4, 0),
        ("", ["tt0000004"], 3, 0),  # a blank line is skipped, as the stream skips it
    ],
    ids=["short", "long", "empty-field", "blank"],
)
def test_files_the_scan_cannot_count_go_to_the_counting_reader(
    write_imdb, odd_line: str, kept: list[str], read: int, rejected: int
) -> None:
    episodes = [f"tt000000{i}\ttvEpisode\tE{i}\tE{i}\t0\t1999\t\\N\t90\tDrama" for i in (1, 2)]
    movie = "tt0000004\tmovie\tM\tM\t0\t1999\t\\N\t90\t\\N"
    path = write_imdb("title.basics", [episodes[0], odd_line, episodes[1], movie])
    assert imdb._scan_basics(path, FileReport("fast"), **SCAN_OPTIONS) is None
    report = FileReport("title.basics")
    titles, all_ids = imdb.read_basics(path, report, types=("movie",), include_adult=False)
    assert titles["tconst"].to_list() == kept
    assert {1, 2, 4} <= set(all_ids.to_list())
    assert report.rejected == rejected and report.read == read


def test_invalid_utf8_goes_to_the_counting_reader(tmp_path: Path) -> None:
    path = tmp_path / "title.basics.tsv"
    path.write_bytes(
        "\t".join(BASICS).encode() + b"\ntt0000001\tmovie\tBad \xff\tB\t0\t1999\t\\N\t90\tDrama\n"
        b"tt0000002\tmovie\tGood\tGood\t0\t1999\t\\N\t90\tDrama\n"
    )
    assert imdb._scan_basics(path, FileReport("fast"), **SCAN_OPTIONS) is None
    report = FileReport("title.basics")
    titles, _ = imdb.read_basics(path, report, types=("movie",), include_adult=False)
    assert titles["tconst"].to_list() == ["tt0000002"] and report.rejected == 1 and report.read == 1
