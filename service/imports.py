"""User imports: IMDb "Your Ratings" / list exports; Letterboxd ratings, diary, watched and watchlist files.

The format is recognised from the header. IMDb rows carry the title id; Letterboxd rows are matched on
title + year through the catalog (primary, original and alternate titles; ±1 year when the exact year misses),
folded the way search folds names (`lexical.fold`: case and accents in any script, non-Latin letters kept),
so "Амели", "千と千尋の神隠し" and "AMÉLIE" match their catalog titles. Bad rows are reported one by one;
a date that cannot be read costs only the date (the row is imported undated and reported in ``warnings``);
a file that was already applied is recognised by its sha256 and changes nothing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from wtw.errors import InputError
from wtw.service import crud
from wtw.service.models import FeedbackKind, ImportRecord, ImportResult, RowError, UnknownRow
from wtw.service.recommend.lexical import fold

if TYPE_CHECKING:
    import polars as pl

TCONST = re.compile(r"^tt\d{7,10}$")
MAX_ROWS = 50_000


@dataclass
class ImportRow:
    line: int
    kind: str  # rating | watched | watchlist
    tconst: str | None = None
    title: str | None = None
    year: int | None = None
    rating: int | None = None
    at: datetime | None = None


@dataclass
class ParsedFile:
    source: str  # imdb | letterboxd
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def normalise_title(text: str) -> str:
    """The matching key of a title: `lexical.fold` (case and accents folded in any script, non-Latin letters
    kept, punctuation dropped, '&' read as 'and'); empty for a title of punctuation or symbols only."""
    return fold(text)


class TitleMatcher:
    """(normalised title, year) → the most-voted catalog title with that name."""

    def __init__(self, entries: dict[tuple[str, int | None], tuple[str, int]], known: set[str]) -> None:
        self._entries = entries
        self.known = known

    @classmethod
    def from_catalog(cls, catalog: pl.DataFrame) -> TitleMatcher:
        entries: dict[tuple[str, int | None], tuple[str, int]] = {}

        def put(key: tuple[str, int | None], tconst: str, votes: int) -> None:
            best = entries.get(key)
            if best is None or votes > best[1]:
                entries[key] = (tconst, votes)

        columns = [
            c
            for c in ("tconst", "title", "original_title", "akas", "start_year", "votes")
            if c in catalog.columns
        ]
        for row in catalog.select(columns).iter_rows(named=True):
            names = {row.get("title"), row.get("original_title"), *(row.get("akas") or [])}
            votes = int(row.get("votes") or 0)
            for name in names:
                norm = normalise_title(name) if name else ""
                if norm:  # an empty key would match every title that folds to nothing
                    put((norm, row.get("start_year")), row["tconst"], votes)
                    put((norm, None), row["tconst"], votes)
        return cls(entries, set(catalog["tconst"].to_list()))

    def match(self, title: str, year: int | None) -> str | None:
        norm = normalise_title(title)
        if not norm:
            return None
        if year is None:
            hit = self._entries.get((norm, None))
            return hit[0] if hit else None
        for candidate in (year, year - 1, year + 1):
            hit = self._entries.get((norm, candidate))
            if hit:
                return hit[0]
        return None


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # spreadsheets "Save as Unicode text"
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_YMD = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_XY_YEAR = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


def parse_date(value: str | None) -> datetime | None:
    """A day as exports and spreadsheets write it, at midnight UTC; None when empty.

    Year first with any of ``-/.`` and one- or two-digit parts (2023-01-05, 2023-1-5, 2023/01/05), a time
    after it ignored (2023-01-05T20:15:00Z, 2023-01-05 20:15); 20230105; day first with dots (05.01.2023); and
    05/01/2023 or 1-5-2023 only where day and month cannot be mixed up (one part over 12, or both equal).

    Raises:
        ValueError: naming the value, when it is none of these or no such day exists.
    """
    value = (value or "").strip()
    if not value:
        return None
    head = re.split(r"[T\s]", value, maxsplit=1)[0]
    if m := _YMD.fullmatch(head):
        year, month, day = m[1], m[3], m[4]
    elif m := _COMPACT.fullmatch(head):
        year, month, day = m[1], m[2], m[3]
    elif m := _XY_YEAR.fullmatch(head):
        first, second, year = m[1], m[3], m[4]
        if m[2] == "." or int(first) > 12 or first.lstrip("0") == second.lstrip("0"):
            day, month = first, second
        elif int(second) > 12:
            month, day = first, second
        else:
            raise ValueError(f"ambiguous date {value[:40]!r}: day/month or month/day? write it as YYYY-MM-DD")
    else:
        raise ValueError(f"not a date: {value[:40]!r} (expected YYYY-MM-DD)")
    try:
        return datetime.combine(date(int(year), int(month), int(day)), datetime.min.time(), tzinfo=UTC)
    except ValueError:
        raise ValueError(f"no such day: {value[:40]!r}") from None


def _year(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value[:4]) if value else None


def parse(data: bytes, filename: str = "") -> ParsedFile:
    """Rows of an IMDb or Letterboxd export; InputError when the file is neither or is not valid CSV."""
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""))
    try:
        return _parse(reader, filename)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit: the rest cannot be read
        raise InputError(f"line {reader.line_num}: not readable as CSV ({exc})") from exc


def _parse(reader: csv.DictReader[str], filename: str) -> ParsedFile:
    header = {h.strip() for h in reader.fieldnames or []}
    watchlist_file = "watchlist" in filename.lower()
    if "Const" in header:
        parsed, kind = ParsedFile("imdb"), "rating" if "Your Rating" in header else "watchlist"
    elif {"Name", "Year"} <= header:
        parsed = ParsedFile("letterboxd")
        kind = "rating" if "Rating" in header else "watchlist" if watchlist_file else "watched"
    else:
        raise InputError(
            "not an IMDb export (needs a 'Const' column) nor a Letterboxd export (needs 'Name' and 'Year')"
        )
    for line, raw in enumerate(reader, start=2):
        if line - 1 > MAX_ROWS:
            raise InputError(f"more than {MAX_ROWS:,} rows; split the file")
        record = {(k or "").strip(): (v or "").strip() if isinstance(v, str) else "" for k, v in raw.items()}
        warnings: list[RowError] = []
        try:
            parsed.rows.append(_row(parsed.source, kind, line, record, warnings))
        except (ValueError, TypeError) as exc:
            parsed.errors.append(RowError(row=line, message=str(exc)))
        else:  # a row in error is not imported: its date does not matter
            parsed.warnings += warnings
    return parsed


def _date(
    record: dict[str, str], columns: tuple[str, ...], line: int, warnings: list[RowError]
) -> datetime | None:
    """The first non-empty of ``columns`` as a date; unreadable: None, with a warning for the row."""
    column = next((c for c in columns if record.get(c)), None)
    if column is None:
        return None
    try:
        return parse_date(record[column])
    except ValueError as exc:
        warnings.append(RowError(row=line, message=f"'{column}': {exc}; imported without a date"))
        return None


def _row(source: str, kind: str, line: int, record: dict[str, str], warnings: list[RowError]) -> ImportRow:
    if source == "imdb":
        tconst = record.get("Const", "")
        if not TCONST.match(tconst):
            raise ValueError(f"'Const' is not an IMDb title id: {tconst!r}")
        row = ImportRow(
            line, kind, tconst=tconst, title=record.get("Title") or None, year=_year(record.get("Year"))
        )
        if kind == "rating":
            rating = int(record.get("Your Rating", ""))
            if not 1 <= rating <= 10:
                raise ValueError(f"'Your Rating' must be 1-10, got {rating}")
            row.rating, row.at = rating, _date(record, ("Date Rated",), line, warnings)
        else:
            row.at = _date(record, ("Created",), line, warnings)
        return row
    name = record.get("Name", "")
    if not name:
        raise ValueError("'Name' is empty")
    row = ImportRow(line, kind, title=name, year=_year(record.get("Year")))
    row.at = _date(record, ("Watched Date", "Date"), line, warnings)
    if kind == "rating":
        stars = record.get("Rating", "")
        if not stars:  # diary entries without a rating still say the film was watched
            row.kind = "watched"
            return row
        value = float(stars)
        if not 0.5 <= value <= 5:
            raise ValueError(f"'Rating' must be 0.5-5 stars, got {stars}")
        row.rating = max(1, min(10, round(value * 2)))
    return row


def apply(
    *, session: Session, user_id: int, data: bytes, filename: str, matcher: TitleMatcher
) -> ImportResult:
    """Parse and store one file in one transaction; the same file twice changes nothing."""
    parsed = parse(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    unknown: list[UnknownRow] = []
    resolved: dict[str, list[ImportRow]] = defaultdict(list)
    for row in parsed.rows:
        tconst = row.tconst if row.tconst else matcher.match(row.title or "", row.year)
        if tconst is None or tconst not in matcher.known:
            unknown.append(UnknownRow(row=row.line, title=row.title, year=row.year, tconst=row.tconst))
        else:
            resolved[tconst].append(row)
    if crud.find_import(session=session, user_id=user_id, sha256=digest) is not None:
        return ImportResult(
            source=parsed.source,
            imported=0,
            skipped=len(parsed.rows),
            unknown=unknown,
            errors=parsed.errors,
            warnings=parsed.warnings,
            undated=len(parsed.warnings),
            duplicate_file=True,
        )
    imported = skipped = 0
    existing = crud.ratings_by_tconst(session=session, user_id=user_id, tconsts=list(resolved))
    for tconst, rows in resolved.items():
        for row in rows:
            if row.kind == "rating" and row.rating is not None:
                current = existing.get(tconst)
                if current is not None and row.at is not None and current.rated_at > row.at:
                    skipped += 1  # a newer rating given in the app wins over the export
                    continue
                stored, changed = crud.upsert_rating(
                    session=session,
                    user_id=user_id,
                    tconst=tconst,
                    rating=row.rating,
                    rated_at=row.at,
                    source=parsed.source,
                    commit=False,
                )
                existing[tconst] = stored
            else:
                crud.add_feedback(
                    session=session,
                    user_id=user_id,
                    tconst=tconst,
                    kind=FeedbackKind(row.kind),
                    at=row.at,
                    commit=False,
                )
                changed = True
            imported += changed
            skipped += not changed
    session.add(
        ImportRecord(
            user_id=user_id,
            sha256=digest,
            source=parsed.source,
            filename=filename[:255],
            rows=len(parsed.rows) + len(parsed.errors),
            imported=imported,
            skipped=skipped,
            unknown=len(unknown),
        )
    )
    session.commit()
    return ImportResult(
        source=parsed.source,
        imported=imported,
        skipped=skipped,
        unknown=unknown,
        errors=parsed.errors,
        warnings=parsed.warnings,
        undated=len(parsed.warnings),
    )
