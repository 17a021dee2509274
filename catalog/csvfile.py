"""CSV enrichment files (MovieLens, TMDB, Kaggle) read as string columns, bad rows counted, never a traceback.

Rows with too few or too many fields are rejected with examples (not truncated or padded), invalid UTF-8 is
replaced and noted, and a file that is not a CSV with the needed columns is an InputError naming it.
Callers cast the strings themselves, so an unparsable value is one rejected row, not a failed file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from wtw.catalog.tsv import FileReport, iter_delimited
from wtw.errors import InputError

if TYPE_CHECKING:
    import polars as pl

HEADER_BYTES = 1 << 16


def header(path: Path) -> list[str]:
    """Column names from the first line of ``path`` (gzip or plain; a UTF-8 byte-order mark is dropped)."""
    import pyarrow as pa

    try:
        with pa.input_stream(str(path), compression="detect") as stream:
            head = stream.read(HEADER_BYTES)
        line = head.split(b"\n", 1)[0].decode("utf-8-sig").rstrip("\r")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a readable CSV file ({exc})") from exc
    return next(csv.reader([line]), [])


def columns_of(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> tuple[str, ...]:
    """``required`` plus the ``optional`` columns ``path`` has.

    Raises:
        InputError: the file is unreadable or lacks a required column.
    """
    names = header(path)
    missing = [name for name in required if name not in names]
    if missing:
        found = ", ".join(names[:12]) or "nothing"
        raise InputError(f"{path}: no column {', '.join(missing)} in its header (found: {found})")
    return (*required, *(name for name in optional if name in names))


def iter_csv(path: Path, columns: tuple[str, ...], report: FileReport) -> Iterator[pl.DataFrame]:
    """Stream ``columns`` (see :func:`columns_of`) as string frames; bad rows go to ``report``."""
    return iter_delimited(path, columns, report, csv=True)


def read_csv(
    path: Path, report: FileReport, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> pl.DataFrame:
    """The ``required`` columns and whichever ``optional`` ones the file has, as one string frame."""
    import polars as pl

    columns = columns_of(path, required, optional)
    frames = [frame for frame in iter_csv(path, columns, report) if frame.height]
    if not frames:
        return pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    return pl.concat(frames, how="vertical", rechunk=True)
