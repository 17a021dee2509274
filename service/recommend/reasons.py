"""Reasons grounded in evidence: the user's closest titles, shared people and genres, the actual score source.

Every sentence names its evidence (a title, a person, a genre, a rating); nothing generic is ever produced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wtw.service.recommend.context import Context

MAX_REASONS = 3


@dataclass(frozen=True)
class Reason:
    """One piece of evidence: what kind it is, the sentence shown, and the title it points to (if any)."""

    kind: str  # closest_title, shared_director/cast/writer, favourite_person, taste_genre, popular,
    # collab, shared_genre, shared_keywords, close_story, title_match, person, like, asked_genre,
    # popular_in_genre, group
    text: str
    tconst: str | None = None


Ranked = list[tuple[int, float, list[Reason]]]
"""Engine-internal results: (catalog row, score, reasons), best first."""

CLOSE_ENOUGH = 0.35
SHARED = {
    "director": "Directed by {name}, like {title}",
    "cast": "With {name}, as in {title}",
    "writer": "Written by {name}, like {title}",
}
"""Cosine above which "close to X" is a fair statement for the sentence-embedding space."""


@dataclass
class Anchors:
    """The user's positive titles (rows with weights, best first) and what they say about the user's taste."""

    rows: np.ndarray
    weights: np.ndarray
    ratings: dict[int, float]
    liked: set[int]
    top_genres: list[str]
    people: frozenset[str] = frozenset()  # people the user named in onboarding

    def __post_init__(self) -> None:
        self._people: dict[str, tuple[str, int]] | None = None
        self._vectors: np.ndarray | None = None

    @property
    def empty(self) -> bool:
        return self.rows.size == 0

    def vectors(self, ctx: Context) -> np.ndarray:
        """The anchors' vectors, gathered once per request (a long history has thousands of anchors)."""
        if self._vectors is None:
            self._vectors = ctx.space.matrix[self.rows]
        return self._vectors

    def people_index(self, ctx: Context) -> dict[str, tuple[str, int]]:
        """Person → (role, first anchor row) over the 50 strongest anchors, built once per request."""
        if self._people is None:
            t = ctx.table
            found: dict[str, tuple[str, int]] = {}
            for a in (int(r) for r in self.rows[:50]):
                for role, names in (
                    ("director", t.directors[a]),
                    ("cast", t.cast[a][:5]),
                    ("writer", t.writers[a]),
                ):
                    for name in names:
                        found.setdefault(name, (role, a))
            self._people = found
        return self._people


def _votes(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M"
    if n >= 1_000:
        return f"{n / 1_000:.0f}k"
    return str(n)


def _title(ctx: Context, row: int) -> str:
    year = ctx.table.year[row]
    return f"{ctx.table.title[row]} ({year})" if year else ctx.table.title[row]


def popularity(ctx: Context, row: int) -> Reason | None:
    rating, votes = ctx.table.rating[row], ctx.table.votes[row]
    if rating is None or not votes:
        return None
    return Reason("popular", f"Popular with high ratings: {rating:.1f}/10 from {_votes(int(votes))} votes")


def shared_people(ctx: Context, row: int, other: int) -> list[Reason]:
    t = ctx.table
    out = []
    directors = [d for d in t.directors[row] if d in t.directors[other]]
    if directors:
        out.append(_shared(ctx, "director", directors[0], other))
    cast = [c for c in t.cast[row][:5] if c in t.cast[other]]
    if cast:
        out.append(_shared(ctx, "cast", " and ".join(cast[:2]), other))
    writers = [w for w in t.writers[row] if w in t.writers[other] and w not in directors]
    if writers and not out:
        out.append(_shared(ctx, "writer", writers[0], other))
    return out


def _shared(ctx: Context, role: str, name: str, other: int) -> Reason:
    text = SHARED[role].format(name=name, title=_title(ctx, other))
    return Reason(f"shared_{role}", text, ctx.table.tconsts[other])


def personal(ctx: Context, row: int, anchors: Anchors, source: str) -> list[Reason]:
    """Reasons for a feed item: closest anchor, people shared with anchors, the user's genres, the source."""
    t = ctx.table
    out: list[Reason] = []
    if not anchors.empty:
        sims = anchors.vectors(ctx) @ ctx.space.matrix[row]
        best = int(np.argmax(sims))
        anchor = int(anchors.rows[best])
        if sims[best] >= CLOSE_ENOUGH:
            if anchor in anchors.ratings:
                why = f"which you rated {anchors.ratings[anchor]:g}/10"
            elif anchor in anchors.liked:
                why = "which you liked"
            else:
                why = "from your watchlist and history"
            out.append(Reason("closest_title", f"Close to {_title(ctx, anchor)}, {why}", t.tconsts[anchor]))
        index = anchors.people_index(ctx)
        for role, names in (
            ("director", t.directors[row]),
            ("cast", t.cast[row][:5]),
            ("writer", t.writers[row]),
        ):
            hit = next((n for n in names if n in index and index[n][0] == role), None)
            if hit is not None:
                out.append(_shared(ctx, role, hit, index[hit][1]))
                break
    favourite = [p for p in t.directors[row] + t.cast[row][:5] if p in anchors.people]
    if favourite:
        role = "Directed by" if favourite[0] in t.directors[row] else "With"
        out.append(Reason("favourite_person", f"{role} {favourite[0]}, one of your favourites"))
    genres = [g for g in anchors.top_genres[:3] if g in t.genres[row]]
    if genres:
        out.append(Reason("taste_genre", f"Matches your taste for {' and '.join(genres[:2])}"))
    if source == "collab":
        out.append(Reason("collab", "Rated highly by viewers whose ratings resemble yours"))
    elif source == "popularity" or not out:
        pop = popularity(ctx, row)
        if pop:
            out.append(pop)
    return out[:MAX_REASONS]


def similar(ctx: Context, row: int, base: int, cosine: float) -> list[Reason]:
    """Reasons a title is similar to `base`: shared people, genres, keywords, then the embedding closeness."""
    t = ctx.table
    out = shared_people(ctx, row, base)
    genres = [g for g in t.genres[row] if g in t.genres[base]]
    if genres:
        label = "Same genre" if len(genres) == 1 else "Same genres"
        out.append(Reason("shared_genre", f"{label}: {', '.join(genres[:3])}"))
    keywords = [k for k in t.keywords[row] if k in t.keywords[base]]
    if keywords:
        out.append(Reason("shared_keywords", f"Shares themes: {', '.join(keywords[:3])}"))
    if len(out) < 2 and cosine >= CLOSE_ENOUGH:
        text = f"Story and themes close to {_title(ctx, base)}"
        out.append(Reason("close_story", text, t.tconsts[base]))
    return out[:MAX_REASONS]
