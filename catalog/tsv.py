"""Streaming reader for IMDb's TSV dumps: tab-separated, header row, ``\\N`` for null, no quote processing.

Rows with the wrong number of fields or invalid UTF-8 are skipped, counted and kept as examples; only a
file that cannot be read at all (empty, missing columns, corrupt gzip) raises.
Batches are filtered as they stream, so memory stays bounded by what the caller keeps, not by the file size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl
    import pyarrow as pa

IMDB_FILES = {
    "title.basics": (
        "tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
        "runtimeMinutes", "genres",
    ),
    "title.akas": (
        "titleId", "ordering", "title", "region", "language", "types", "attributes", "isOriginalTitle",
    ),
    "title.crew": ("tconst", "directors", "writers"),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
    "title.episode": ("tconst", "parentTconst", "seasonNumber", "episodeNumber"),
    "name.basics": ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"),
}  # fmt: skip
"""The seven official datasets and their columns, in file order."""

MAX_EXAMPLES = 3
BLOCK_SIZE = 16 << 20


@dataclass
class FileReport:
    """What happened to one input file: rows read, rows rejected (with a few examples) and notes."""

    name: str
    path: str | None = None
    read: int = 0
    rejected: int = 0
    unknown: int = 0
    examples: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def reject(self, count: int, example: str | None = None) -> None:
        """Count ``count`` rejected rows; keep ``example`` while fewer than MAX_EXAMPLES are kept."""
        self.rejected += count
        if example is not None and len(self.examples) < MAX_EXAMPLES:
            self.examples.append(example[:200])

    def line(self) -> str:
        text = f"{self.name}: {self.read:,} read, {self.rejected:,} rejected"
        if self.unknown:
            text += f", {self.unknown:,} about tconsts missing from title.basics"
        if self.examples:
            text += " (e.g. " + "; ".join(repr(e) for e in self.examples) + ")"
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text


def find_imdb_file(directory: Path, name: str) -> Path | None:
    """``name.tsv.gz`` or ``name.tsv`` (IMDb's own names) in ``directory``, or None."""
    for candidate in (directory / f"{name}.tsv.gz", directory / f"{name}.tsv"):
        if candidate.is_file():
            return candidate
    return None


def string_array(values: list[str] | tuple[str, ...]) -> pa.Array:
    """Python strings → Arrow string array, built through polars.

    ``pa.array`` (and any Python scalar given to pyarrow.compute) imports pandas on first use: 0.3 s.
    """
    import polars as pl
    import pyarrow as pa

    return pl.Series(list(values), dtype=pl.String).to_arrow().cast(pa.string())


def tconst_numbers(column: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """``tt0133093`` → 133093 as uint32 (null when null or malformed): compact keys for membership tests."""
    import pyarrow as pa
    import pyarrow.compute as pc

    digits = pc.utf8_slice_codeunits(column, 2)
    try:
        return pc.cast(digits, pa.uint32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        valid = pc.fill_null(pc.match_substring_regex(column, r"^tt[0-9]{1,9}$"), False)
        safe = pc.if_else(valid, digits, pa.scalar("0"))
        return pc.if_else(valid, pc.cast(safe, pa.uint32()), pa.scalar(None, pa.uint32()))


def iter_tsv(
    path: Path,
    columns: tuple[str, ...],
    report: FileReport,
    *,
    keep: Callable[[pa.RecordBatch], pa.RecordBatch] | None = None,
) -> Iterator[pl.DataFrame]:
    """Stream an IMDb TSV as polars frames of string columns (``\\N`` → null).

    Args:
        path: a ``.tsv`` or ``.tsv.gz`` file with a header row.
        columns: the columns to return (a subset of the file's; others are never converted).
        report: rows read and rejected are added to it; malformed rows (wrong field count, invalid UTF-8)
            are kept as examples.
        keep: filter/projection applied to every Arrow batch before it becomes a polars frame, so only
            kept rows are converted and memory stays bounded by what is kept.

    Raises:
        InputError: the file is empty, lacks a column, or cannot be read.
    """
    return iter_delimited(path, columns, report, keep=keep)


def iter_delimited(
    path: Path,
    columns: tuple[str, ...],
    report: FileReport,
    *,
    csv: bool = False,
    keep: Callable[[pa.RecordBatch], pa.RecordBatch] | None = None,
) -> Iterator[pl.DataFrame]:
    """:func:`iter_tsv`, or with ``csv`` an RFC 4180 CSV (quotes, newlines in quotes, empty → null).

    In a CSV a line need not be a row, so invalid UTF-8 there is replaced (U+FFFD, noted), not rejected.
    """
    import polars as pl
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from wtw.catalog.utf8 import Utf8Lines
    from wtw.errors import InputError

    def invalid(row: pacsv.InvalidRow) -> str:
        report.reject(1, f"{row.actual_columns} fields instead of {row.expected_columns}: {row.text}")
        return "skip"

    kind = "a CSV file" if csv else "an IMDb TSV"
    source = pa.input_stream(str(path), compression="detect")
    stream = Utf8Lines(source, report, repair=csv)
    parse = (
        pacsv.ParseOptions(delimiter=",", newlines_in_values=True)
        if csv
        else pacsv.ParseOptions(delimiter="\t", quote_char=False)
    )
    parse.invalid_row_handler = invalid
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(block_size=BLOCK_SIZE, use_threads=True),
            parse_options=parse,
            convert_options=pacsv.ConvertOptions(
                include_columns=list(columns),
                column_types=dict.fromkeys(columns, pa.string()),
                null_values=[""] if csv else ["\\N"],
                strings_can_be_null=True,
                check_utf8=False,  # Utf8Lines let only valid UTF-8 through
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError, OSError) as exc:
        source.close()
        raise InputError(f"{path}: not {kind} with columns {', '.join(columns)} ({exc})") from exc
    try:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowInvalid, OSError) as exc:
                raise InputError(f"{path}: unreadable after {report.read:,} rows ({exc})") from exc
            report.read += batch.num_rows
            if keep is not None:
                batch = keep(batch)
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            yield frame
        if stream.repaired:
            report.notes.append(f"{stream.repaired:,} lines with invalid UTF-8 repaired (U+FFFD)")
    finally:
        reader.close()
        source.close()


def scan_tsv(path: Path, columns: tuple[str, ...]) -> pl.LazyFrame | None:
    """Polars' lazy, multi-threaded scan of an IMDb TSV whose header is exactly ``columns`` (else None).

    The fast path for reading a whole file (gzip included) with a filter. Values are strings with ``\\N`` kept
    as text, so that a null can only mean a short row, a blank line or an empty field. It cannot count bad
    rows: a ragged or non-UTF-8 row fails the whole scan (``polars.exceptions.PolarsError``) and a short row
    reads as nulls, so a caller that meets either goes back to :func:`iter_tsv`, which counts them.
    """
    import polars as pl
    import pyarrow as pa

    try:
        with pa.input_stream(str(path), compression="detect") as source:
            header = source.read(1 << 16).split(b"\n", 1)[0].rstrip(b"\r")
    except (pa.ArrowInvalid, OSError):
        return None
    if header != "\t".join(columns).encode():
        return None
    return pl.scan_csv(path, separator="\t", quote_char=None, schema=dict.fromkeys(columns, pl.String))


def read_tsv(
    path: Path,
    columns: tuple[str, ...],
    report: FileReport,
    *,
    keep: Callable[[pa.RecordBatch], pa.RecordBatch] | None = None,
) -> pl.DataFrame:
    """All batches of :func:`iter_tsv` concatenated (after ``keep``)."""
    import polars as pl

    frames = [frame for frame in iter_tsv(path, columns, report, keep=keep) if frame.height]
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.concat(frames, how="vertical_relaxed", rechunk=True)
