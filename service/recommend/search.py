"""Hybrid free-text search: parsed structure, lexical title matching fused with semantic search.

See docs/search.md.
"""

from __future__ import annotations

import numpy as np

from wtw.service.recommend import reasons as R
from wtw.service.recommend import vocabulary as V
from wtw.service.recommend.context import Context
from wtw.service.recommend.lexical import fold
from wtw.service.recommend.query import ParsedQuery
from wtw.service.recommend.space import normalise, top_rows
from wtw.service.recommend.titles import Constraints

RRF_K = 60
STEER_TOWARD, STEER_AWAY, STEER_TEXT = 0.8, 0.4, 0.5
GENRE_BOOST = 0.06
PRIOR_WEIGHT = 0.30
EXACT_TITLE = 97.0
POOL = 100


def _genre_bonus(ctx: Context, boosts: dict[str, float]) -> np.ndarray | float:
    bonus: np.ndarray | float = 0.0
    for genre, weight in boosts.items():
        col = ctx.table.genre_bit.get(genre)
        if col is not None:
            bonus = bonus + GENRE_BOOST * weight * ctx.table.genre_arr[:, col]
    return bonus


def query_vector(ctx: Context, parsed: ParsedQuery) -> np.ndarray | None:
    """The semantic query: the anchor title's vector (or the free text's), moved by each steer."""
    if parsed.like_row is not None:
        base = ctx.space.matrix[parsed.like_row].copy()
        if parsed.words and not parsed.descriptive:
            base += STEER_TEXT * ctx.encode_one(parsed.text)
    elif parsed.words:
        base = ctx.encode_one(parsed.text).copy()
    elif parsed.steers:
        base = np.zeros(ctx.space.dim, dtype=np.float32)
    else:
        return None
    for steer in parsed.steers:
        base += steer.sign * STEER_TOWARD * ctx.encode_one(steer.text)
        if steer.away:
            base -= steer.sign * STEER_AWAY * ctx.encode_one(steer.away)
    return normalise(base)


def _people_rows(ctx: Context, parsed: ParsedQuery) -> dict[int, float]:
    """Rows of the titles of every named person (intersected when several), with their role weight."""
    t = ctx.table
    result: dict[int, float] | None = None
    for name, role in parsed.people:
        roles = t.people.get(name, {})
        if role == "director":
            roles = {r: w for r, w in roles.items() if name in t.directors[r]}
        elif role == "writer":
            roles = {r: w for r, w in roles.items() if name in t.writers[r]}
        elif role == "cast":
            roles = {r: w for r, w in roles.items() if name in t.cast[r]}
        result = (
            dict(roles) if result is None else {r: w + result[r] for r, w in roles.items() if r in result}
        )
    return result or {}


def _person_reason(ctx: Context, row: int, parsed: ParsedQuery) -> list[R.Reason]:
    t = ctx.table
    out = []
    for name, _ in parsed.people:
        if name in t.directors[row]:
            out.append(R.Reason("person", f"Directed by {name}"))
        elif name in t.cast[row]:
            out.append(R.Reason("person", f"With {name}"))
        elif name in t.writers[row]:
            out.append(R.Reason("person", f"Written by {name}"))
    return out


def _exact_title(ctx: Context, parsed: ParsedQuery, allowed: np.ndarray) -> int | None:
    """A query that is exactly a title ("Scary Movie", "Only Murders in the Building") shows it first."""
    tokens = [w for w in parsed.tokens if w not in V.FILLER]
    if not tokens or (len(parsed.tokens) == 1 and parsed.tokens[0] in V.FILLER):
        return None
    hits = ctx.titles.match(fold(parsed.original), k=3, min_score=EXACT_TITLE)
    for row, _ in hits:
        if allowed[row]:
            return row
    return None


def search(ctx: Context, query: str, *, limit: int, constraints: Constraints) -> R.Ranked:
    parsed = ctx.parse(query)
    allowed = ctx.table.mask(constraints)
    structured = ctx.table.mask(constraints.merge(parsed.constraints))
    fused: dict[int, float] = {}
    why: dict[int, list[R.Reason]] = {}

    def add(rows: np.ndarray | list[int], weight: float, reason: list[R.Reason] | None = None) -> None:
        for rank, row in enumerate(rows):
            r = int(row)
            fused[r] = fused.get(r, 0.0) + weight / (RRF_K + rank + 1)
            if reason and r not in why:
                why[r] = list(reason)

    people = _people_rows(ctx, parsed) if parsed.people else None
    if people is not None:
        mask = np.zeros(ctx.table.n, dtype=bool)
        mask[list(people)] = True
        structured = structured & mask

    qvec = query_vector(ctx, parsed)
    bonus = _genre_bonus(ctx, parsed.genre_boost) + PRIOR_WEIGHT * ctx.prior01
    if qvec is not None:
        sem = ctx.space.scores(qvec, structured) + bonus
        if parsed.like_row is not None:
            sem[parsed.like_row] = -np.inf
        rows = top_rows(sem, POOL, structured)
        like = parsed.like_row
        reason = None
        if like is not None:
            toward = " and ".join(f"“{s.label}”" for s in parsed.steers if s.sign > 0)
            away = " and ".join(f"“{s.label}”" for s in parsed.steers if s.sign < 0)
            text = f"Like {ctx.table.title[like]}" + (f", but {toward}" if toward else "")
            reason = [R.Reason("like", text + (f", less {away}" if away else ""), ctx.table.tconsts[like])]
        add(rows, 1.0, reason)
    elif people is not None:
        role = np.zeros(ctx.table.n, dtype=np.float32)
        role[list(people)] = list(people.values())
        rows = top_rows(0.3 * role + ctx.prior01 + bonus, POOL, structured)
        add(rows, 1.0)
    else:
        rows = top_rows(ctx.prior01 + bonus, POOL, structured)
        add(rows, 1.0)

    if parsed.words and not parsed.descriptive and parsed.like_row is None and people is None:
        hits = [(r, s) for r, s in ctx.titles.match(parsed.text, k=30, min_score=70.0) if structured[r]]
        for rank, (row, score) in enumerate(hits):
            confidence = min(1.0, max(0.0, (score - 60.0) / 40.0)) ** 2
            fused[row] = fused.get(row, 0.0) + 2.0 * confidence / (RRF_K + rank + 1)
            if score >= 85:
                why.setdefault(row, [R.Reason("title_match", f"Title matches “{parsed.text}”")])

    exact = _exact_title(ctx, parsed, allowed)
    if exact is not None:
        fused[exact] = max(fused.values(), default=1.0) * 1.05
        why[exact] = [R.Reason("title_match", "Title matches your search")]

    if not fused:
        return []
    best = max(fused.values())
    ranked = sorted(fused.items(), key=lambda x: -x[1])[:limit]
    out: R.Ranked = []
    for row, score in ranked:
        reasons = list(why.get(row, []))
        if people is not None:
            reasons += _person_reason(ctx, row, parsed)
        if parsed.like_row is not None and len(reasons) < R.MAX_REASONS:
            reasons += R.shared_people(ctx, row, parsed.like_row)[:1]
        asked = [g for g, b in parsed.genre_boost.items() if b > 0 and g in ctx.table.genres[row]]
        if asked and len(reasons) < R.MAX_REASONS:
            reasons.append(R.Reason("asked_genre", f"{', '.join(asked)}, as asked"))
        out.append((row, min(1.0, score / best), reasons[: R.MAX_REASONS]))
    return out
