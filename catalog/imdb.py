"""IMDb's datasets → per-title frames: basics, episode counts, ratings, crew, cast, alternate titles, names.

Every function reads one file through :mod:`wtw.catalog.tsv`, keeps only rows for the titles (or people)
asked for, and counts bad rows and unknown references in the file's :class:`FileReport`.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from wtw.catalog.tsv import IMDB_FILES, FileReport, read_tsv, scan_tsv, string_array, tconst_numbers

TCONST = r"^tt\d{7,}$"
NCONST = r"^nm\d{7,}$"
CAST_CATEGORIES = ("actor", "actress", "self")


def tconst_number(column: str) -> pl.Expr:
    """``tt0133093`` → 133093 (UInt32; null when malformed): compact keys for membership tests."""
    return pl.col(column).str.strip_prefix("tt").cast(pl.UInt32, strict=False)


def _split(column: str) -> pl.Expr:
    """IMDb comma-separated array → list[str] (empty list for null or empty)."""
    return (
        pl.when(pl.col(column).is_null() | (pl.col(column) == ""))
        .then(pl.lit([], dtype=pl.List(pl.String)))
        .otherwise(pl.col(column).str.split(","))
    )


_INTS = {
    "startYear": ("start_year", "years"),
    "endYear": ("end_year", "end years"),
    "runtimeMinutes": ("runtime_minutes", "runtimes"),
}
"""title.basics' integer columns → (name in the titles, word in the report); the raw strings travel as
``_startYear``…"""


def _typed_basics(raw: pl.LazyFrame) -> pl.LazyFrame:
    """Kept title.basics rows (strings, ``\\N`` already null) → titles, plus what the checks use.

    One select, the same for both readers: ``_id_ok`` (tconst well formed), ``_number`` (its number) and the
    raw strings of the integer columns are kept for :func:`_checked_basics` to count what did not parse.
    """
    return raw.select(
        "tconst",
        pl.col("primaryTitle").fill_null(pl.col("originalTitle")).fill_null("").alias("title"),
        pl.col("originalTitle").alias("original_title"),
        pl.col("titleType").alias("type"),
        *(
            pl.col(column).str.strip_chars().cast(pl.Int32, strict=False).alias(name)
            for column, (name, _) in _INTS.items()
        ),
        _split("genres").alias("genres"),
        (pl.col("tconst").is_not_null() & pl.col("tconst").str.contains(TCONST)).alias("_id_ok"),
        tconst_number("tconst").alias("_number"),
        *(pl.col(column).alias(f"_{column}") for column in _INTS),
    )


def _checked_basics(frame: pl.DataFrame, report: FileReport) -> pl.DataFrame:
    """:func:`_typed_basics`' rows → titles: bad tconsts rejected, unparsable numbers noted, tconsts distinct.

    The counts and examples are those of a row-by-row check: rows with a bad tconst are rejected (the first
    one is the example) before the integers of the others are counted.
    """
    bad_ids = frame.select(
        (~pl.col("_id_ok")).sum().alias("n"), pl.col("tconst").filter(~pl.col("_id_ok")).first()
    )
    if bad_ids["n"][0]:
        report.reject(bad_ids["n"][0], f"bad id {bad_ids['tconst'][0]!r}")
        frame = frame.filter("_id_ok")
    unparsable = {
        column: pl.col(f"_{column}").is_not_null() & pl.col(name).is_null()
        for column, (name, _) in _INTS.items()
    }
    counts = frame.select(
        *(bad.sum().alias(column) for column, bad in unparsable.items()),
        *(pl.col(f"_{column}").filter(bad).first().alias(f"_{column}") for column, bad in unparsable.items()),
    ).row(0, named=True)
    for column, (_, label) in _INTS.items():
        if counts[column]:
            report.notes.append(
                f"{counts[column]:,} unparsable {label} set to null (e.g. {counts[f'_{column}']!r})"
            )
    # distinct numbers (none null, i.e. none over 2^32) mean distinct tconsts: no string hashing needed
    numbers = frame["_number"]
    if numbers.null_count() or numbers.n_unique() != frame.height:
        frame = frame.filter(pl.col("tconst").is_first_distinct())
    return frame.drop("_id_ok", "_number", *(f"_{column}" for column in _INTS))


def read_basics(
    path: Path,
    report: FileReport,
    *,
    types: tuple[str, ...],
    include_adult: bool,
    extra: pl.Series | None = None,
) -> tuple[pl.DataFrame, pl.Series]:
    """Titles of the kept types (plus the tconsts in ``extra``) and the numbers of every tconst in the file.

    Returns:
        (titles, all_ids): typed titles; all_ids (UInt32) lets other files' references be checked.
    """
    extra_ids = extra if extra is not None else pl.Series([], dtype=pl.UInt32)
    fast = _scan_basics(path, report, types=types, include_adult=include_adult, extra=extra_ids)
    if fast is None:
        fast = _stream_basics(path, report, types=types, include_adult=include_adult, extra=extra_ids)
    frame, all_ids = fast
    return _checked_basics(frame, report), all_ids


SCAN_BATCH_ROWS = 250_000
"""Rows per batch handed to :func:`_scan_basics`' callback: at polars' default (~30k) the callbacks' fixed
costs add ~0.4 s to 12M rows; 250k leaves the peak RSS as it is (1M: +120 MB)."""


def _scan_basics(
    path: Path, report: FileReport, *, types: tuple[str, ...], include_adult: bool, extra: pl.Series
) -> tuple[pl.DataFrame, pl.Series] | None:
    """title.basics through polars' scan: the kept rows (:func:`_typed_basics`) and every tconst's number.

    One pass over the file: the streaming scan adds each row's number and whether it is wanted, and every
    batch is split into its numbers and its wanted rows as it arrives (a second output of the same scan, as
    in ``collect_all`` of a cached scan, buffers most of the file in memory). None when the file needs the
    counting reader: a scan error (ragged or non-UTF-8 row) or a null anywhere (short row, empty field,
    blank line), which stops the scan at the first batch holding one.
    """
    columns = IMDB_FILES["title.basics"]
    lazy = scan_tsv(path, columns)
    if lazy is None:
        return None
    number = tconst_number("tconst")
    # one == per type is cheaper than is_in on 12M strings; a null type is not wanted
    wanted = pl.any_horizontal(pl.col("titleType") == kind for kind in types) if types else pl.lit(False)
    if extra.len():
        wanted |= number.is_in(extra.implode())
    wanted = wanted.fill_null(False)
    if not include_adult:
        wanted &= pl.col("isAdult").ne_missing("1")
    numbers: list[pl.Series] = []
    kept: list[pl.DataFrame] = []
    odd = False

    def take(batch: pl.DataFrame) -> bool:
        nonlocal odd
        odd = any(batch.get_column(column).null_count() for column in columns)
        if not odd:
            numbers.append(batch.get_column("_number"))
            mask = batch.get_column("_wanted")  # Series.filter: DataFrame.filter plans a query per call
            kept.append(pl.DataFrame([batch.get_column(column).filter(mask) for column in columns]))
        return odd  # True stops the scan

    try:
        lazy.select(number.alias("_number"), wanted.alias("_wanted"), *columns).sink_batches(
            take, chunk_size=SCAN_BATCH_ROWS, engine="streaming"
        )
    except pl.exceptions.PolarsError:
        return None
    if odd:
        return None
    frame = pl.concat(kept) if kept else pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    all_numbers = pl.concat(numbers) if numbers else pl.Series([], dtype=pl.UInt32)
    report.read += all_numbers.len()
    # in memory: the streaming engine's many small chunks cost ~300 MB more in the checks that follow
    typed = _typed_basics(frame.lazy().select(pl.all().replace("\\N", None))).collect(engine="in-memory")
    return typed, all_numbers.rename("tconst").drop_nulls()


def _stream_basics(
    path: Path, report: FileReport, *, types: tuple[str, ...], include_adult: bool, extra: pl.Series
) -> tuple[pl.DataFrame, pl.Series]:
    """:func:`_scan_basics` through the Arrow stream, which skips and counts bad rows (typed once read)."""
    kept_types, adult = string_array(types), string_array(["1"])
    extra_ids = extra.to_arrow()
    id_batches: list[pa.Array] = []

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        ids = tconst_numbers(batch.column("tconst"))
        id_batches.append(ids)
        # is_in is false (never null) for a null value, so no fill_null with a Python scalar is needed
        wanted = pc.or_(
            pc.is_in(batch.column("titleType"), value_set=kept_types), pc.is_in(ids, value_set=extra_ids)
        )
        if not include_adult:
            wanted = pc.and_(wanted, pc.invert(pc.is_in(batch.column("isAdult"), value_set=adult)))
        return batch.filter(wanted)

    frame = read_tsv(path, IMDB_FILES["title.basics"], report, keep=keep)
    typed = _typed_basics(frame.lazy()).collect(engine="in-memory")
    return typed, pl.Series("tconst", pa.chunked_array(id_batches, pa.uint32())).drop_nulls()


def _of_titles(
    batch: pa.RecordBatch, column: str, known: pa.Array, wanted: pa.Array, report: FileReport
) -> pa.RecordBatch:
    """Rows of ``batch`` about ``wanted`` titles; rows about tconsts absent from ``known`` are counted."""
    numbers = tconst_numbers(batch.column(column))
    unknown = pc.invert(pc.is_in(numbers, value_set=known))
    count = pc.sum(unknown).as_py() or 0
    if count:
        report.unknown += count
        if len(report.examples) < 3:
            report.examples.append(f"unknown tconst {batch.filter(unknown).column(column)[0]}")
    return batch.filter(pc.is_in(numbers, value_set=wanted))


def read_episode_counts(path: Path, report: FileReport, known: pl.Series, wanted: pl.Series) -> pl.DataFrame:
    """Per series in ``wanted``: number of episodes and of distinct seasons (from title.episode)."""
    known_ids, wanted_ids = known.to_arrow(), wanted.to_arrow()

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        return _of_titles(batch, "parentTconst", known_ids, wanted_ids, report)

    frame = read_tsv(path, IMDB_FILES["title.episode"], report, keep=keep)
    return (
        frame.group_by("parentTconst")
        .agg(
            pl.len().cast(pl.Int32).alias("episodes"),
            pl.col("seasonNumber")
            .cast(pl.Int32, strict=False)
            .drop_nulls()
            .n_unique()
            .cast(pl.Int32)
            .alias("seasons"),
        )
        .rename({"parentTconst": "tconst"})
    )


def read_ratings(path: Path, report: FileReport, known: pl.Series, wanted: pl.Series) -> pl.DataFrame:
    """averageRating/numVotes of the titles in ``wanted`` (rows with unparsable numbers are rejected)."""
    known_ids, wanted_ids = known.to_arrow(), wanted.to_arrow()

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        return _of_titles(batch, "tconst", known_ids, wanted_ids, report)

    frame = read_tsv(path, IMDB_FILES["title.ratings"], report, keep=keep)
    typed = frame.select(
        "tconst",
        pl.col("averageRating").cast(pl.Float32, strict=False).alias("rating"),
        pl.col("numVotes").cast(pl.Int32, strict=False).alias("votes"),
    )
    bad = typed.filter(pl.col("rating").is_null() | pl.col("votes").is_null())
    if bad.height:
        report.reject(bad.height, f"unparsable rating for {bad['tconst'][0]}")
    return typed.filter(pl.col("rating").is_not_null() & pl.col("votes").is_not_null()).unique("tconst")


def read_crew(path: Path, report: FileReport, known: pl.Series, wanted: pl.Series) -> pl.DataFrame:
    """Directors and writers (nconst lists) of the titles in ``wanted``."""
    known_ids, wanted_ids = known.to_arrow(), wanted.to_arrow()

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        return _of_titles(batch, "tconst", known_ids, wanted_ids, report)

    frame = read_tsv(path, IMDB_FILES["title.crew"], report, keep=keep)
    return frame.select(
        "tconst", _split("directors").alias("director_ids"), _split("writers").alias("writer_ids")
    ).unique("tconst")


def _characters(column: str) -> pl.Expr:
    """IMDb ``["Neo","Thomas A. Anderson"]`` → ``Neo / Thomas A. Anderson`` (values are not always JSON)."""
    inner = (
        pl.col(column).str.strip_prefix("[").str.strip_suffix("]").str.strip_prefix('"').str.strip_suffix('"')
    )
    return inner.str.replace_all(r'","', " / ", literal=True).str.replace_all(r"\\(.)", "$1").fill_null("")


def read_cast(
    path: Path, report: FileReport, known: pl.Series, wanted: pl.Series, max_cast: int
) -> pl.DataFrame:
    """Top-billed cast (actor/actress/self, billing order, at most ``max_cast``) with characters."""
    known_ids, wanted_ids = known.to_arrow(), wanted.to_arrow()
    categories = string_array(CAST_CATEGORIES)

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        batch = _of_titles(batch, "tconst", known_ids, wanted_ids, report)
        cast = batch.filter(pc.is_in(batch.column("category"), value_set=categories))
        return cast.select(["tconst", "ordering", "nconst", "characters"])

    frame = read_tsv(path, IMDB_FILES["title.principals"], report, keep=keep)
    frame = frame.with_columns(pl.col("ordering").cast(pl.Int32, strict=False))
    bad = frame.filter(pl.col("ordering").is_null() | ~pl.col("nconst").fill_null("").str.contains(NCONST))
    if bad.height:
        report.reject(bad.height, f"bad principal row for {bad['tconst'][0]}")
    # one person playing several roles is billed once, with the roles joined
    return (
        frame.filter(pl.col("ordering").is_not_null() & pl.col("nconst").str.contains(NCONST))
        .sort("tconst", "ordering")
        .with_columns(_characters("characters"))
        .group_by("tconst", "nconst", maintain_order=True)
        .agg(
            pl.col("ordering").min(),
            pl.col("characters")
            .filter(pl.col("characters") != "")
            .unique(maintain_order=True)
            .str.join(" / "),
        )
        .sort("tconst", "ordering")
        .group_by("tconst", maintain_order=True)
        .agg(
            pl.col("nconst").head(max_cast).alias("cast_ids"),
            pl.col("characters").head(max_cast),
        )
    )


def read_akas(path: Path, report: FileReport, known: pl.Series, wanted: pl.Series) -> pl.DataFrame:
    """Every alternate title of the titles in ``wanted``, in IMDb's order (distinct and bounded later)."""
    known_ids, wanted_ids = known.to_arrow(), wanted.to_arrow()

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        return _of_titles(batch, "titleId", known_ids, wanted_ids, report).select(
            ["titleId", "ordering", "title"]
        )

    frame = read_tsv(path, IMDB_FILES["title.akas"], report, keep=keep)
    return (
        frame.filter(pl.col("title").is_not_null() & (pl.col("title") != ""))
        .with_columns(pl.col("ordering").cast(pl.Int32, strict=False))
        .sort("titleId", "ordering", nulls_last=True)
        .group_by("titleId", maintain_order=True)
        .agg(pl.col("title").alias("aka_all"))
        .rename({"titleId": "tconst"})
    )


def read_names(path: Path, report: FileReport, wanted: set[str]) -> pl.DataFrame:
    """nconst → primaryName for the people in ``wanted``."""
    ids = string_array(sorted(wanted))

    def keep(batch: pa.RecordBatch) -> pa.RecordBatch:
        return batch.filter(pc.is_in(batch.column("nconst"), value_set=ids)).select(["nconst", "primaryName"])

    frame = read_tsv(path, IMDB_FILES["name.basics"], report, keep=keep)
    return frame.filter(pl.col("primaryName").is_not_null()).unique("nconst")
