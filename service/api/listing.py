"""Windows of the caller's stored lists (ratings, feedback) with the catalog's title filters and order.

Date and rating orders and paging are the database's work. Title filters (type, genre, years, ...) and the
order by title need the served catalog, which lives in memory: then the user's rows (a few thousand at most,
imports stop at 50,000) are read in date order and filtered, sorted and cut here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from wtw.service.recommend.lexical import fold
from wtw.service.recommend.titles import Constraints
from wtw.service.runtime import Loaded


class _HasTconst(Protocol):
    tconst: str


R = TypeVar("R", bound=_HasTconst)


def page(
    fetch: Callable[..., Sequence[R]],
    count: Callable[[], int],
    *,
    loaded: Loaded,
    filter: Constraints | None,
    by_title: bool,
    limit: int,
    offset: int,
) -> tuple[list[R], int]:
    """One page of a stored list and its total: the database pages (``fetch(limit=, offset=)``) and counts
    unless a title filter or the title order needs the catalog, then :func:`window` cuts ``fetch()``."""
    if filter is None and not by_title:
        return list(fetch(limit=limit, offset=offset)), count()
    return window(fetch(), loaded=loaded, filter=filter, by_title=by_title, limit=limit, offset=offset)


def window(
    rows: Sequence[R],
    *,
    loaded: Loaded,
    filter: Constraints | None,
    by_title: bool,
    limit: int,
    offset: int,
) -> tuple[list[R], int]:
    """The rows passing ``filter`` (titles no longer in the catalog pass none), ordered by title when
    ``by_title`` (stable: equal titles keep their order), cut to ``[offset, offset + limit)``.

    Returns:
        The window and the number of rows passing the filter.
    """
    kept = list(rows)
    if filter is not None:
        table = loaded.recommender.ctx.table
        mask = table.mask(filter)
        kept = [r for r in kept if (i := table.row_of.get(r.tconst)) is not None and mask[i]]
    if by_title:
        kept.sort(key=lambda r: _title_key(loaded, r.tconst))
    return kept[offset : offset + limit], len(kept)


def _title_key(loaded: Loaded, tconst: str) -> tuple[bool, str, int, str]:
    brief = loaded.brief(tconst)
    if brief is None:  # dropped from the catalog: last, by id
        return True, "", 0, tconst
    return False, fold(brief.title), brief.year or 0, brief.title
