"""The user's preference vector: one formula, used online by the service and in bulk by the nightly job.

See docs/recommendation.md for the formula. Per title, the evidence weight is

    w(t) = decay(age) · [ (rating − 5.5) / 4.5  +  like/dislike (±1)  +  0.3 watchlist
                          +  0.2 watched-unrated  −  0.6 not_interested "never"
                          −  0.2 not_interested "not now" (while active) ]

with decay(age) = max(0.25, 0.5 ** (age_days / 365)). Onboarding preferences add seeds without decay: each
liked title +1.0, each liked genre +0.5 (its quality-weighted centroid), each liked person +0.7 (their titles'
centroid), each boosted genre its boost, each disliked genre −0.5. Then

    u = normalise( P − 0.5 · N ),  P = Σ_{w>0} w·v / Σ_{w>0} w,  N = Σ_{w<0} |w|·v / Σ_{w<0} |w|

and u is None without positive evidence (the feed then falls back to the popularity prior).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import VectorSpace, normalise
from wtw.service.recommend.titles import TitleTable

if TYPE_CHECKING:
    import polars as pl

HALF_LIFE_DAYS = 365.0
DECAY_FLOOR = 0.25
FEEDBACK_WEIGHT = {"like": 1.0, "dislike": -1.0, "watchlist": 0.3, "watched": 0.2}
NOT_INTERESTED_NEVER = -0.6
NOT_INTERESTED_NOW = -0.2
SEED_TITLE, SEED_GENRE, SEED_PERSON, SEED_DISLIKED_GENRE = 1.0, 0.5, 0.7, -0.5
NEGATIVE_PULL = 0.5
SEED_CACHE = 2048


_PER_SECOND = math.log(0.5) / (HALF_LIFE_DAYS * 86400.0)


def decay(at: datetime, now: datetime) -> float:
    """Half-life one year, floored so that old favourites still count."""
    seconds = (now - at).total_seconds()
    return max(DECAY_FLOOR, math.exp(_PER_SECOND * seconds)) if seconds > 0 else 1.0


def title_weights(signals: UserSignals, now: datetime) -> dict[str, float]:
    """Net evidence weight per title from interactions (muted titles are left out)."""
    muted = set(signals.preferences.muted_titles)
    latest: dict[tuple[str, str], Any] = {}
    for it in signals.interactions:
        key = (it.tconst, "opinion" if it.kind in ("like", "dislike") else it.kind)
        prev = latest.get(key)
        if prev is None or it.at >= prev.at:
            latest[key] = it
    rated = {t for (t, g) in latest if g == "rating"}
    out: dict[str, float] = {}
    for (tconst, group), it in latest.items():
        if tconst in muted:
            continue
        if group == "rating":
            if it.value is None:
                continue
            w = (float(it.value) - 5.5) / 4.5
        elif group == "not_interested":
            if not it.active(now):
                continue
            w = NOT_INTERESTED_NEVER if it.expires_at is None else NOT_INTERESTED_NOW
        elif group in ("watchlist", "watched") and tconst in rated:
            continue
        else:
            w = FEEDBACK_WEIGHT.get(it.kind, 0.0)
        out[tconst] = out.get(tconst, 0.0) + w * decay(it.at, now)
    return out


@dataclass
class SeedVectors:
    """Vectors standing for a genre or a person, used to seed new users from onboarding answers."""

    table: TitleTable
    space: VectorSpace

    @classmethod
    def build(cls, catalog: pl.DataFrame, index: Any) -> SeedVectors:
        """For callers outside the engine (the nightly job): catalog + a `TitleIndex`."""
        table = TitleTable(catalog)
        return cls(table, VectorSpace.from_index(table, index))

    def __post_init__(self) -> None:
        # Names come from users' preferences: the caches are bounded (least recently used go first).
        self.genre = lru_cache(maxsize=SEED_CACHE)(self._genre)
        self.person = lru_cache(maxsize=SEED_CACHE)(self._person)

    def _centroid(self, rows: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
        keep = self.space.present[rows]
        rows, weights = rows[keep], weights[keep]
        if rows.size == 0 or weights.sum() <= 0:
            return None
        return normalise(weights @ self.space.matrix[rows])

    def _genre(self, name: str) -> np.ndarray | None:
        """Quality-weighted centroid of the genre's 200 best titles by the popularity prior."""
        col = self.table.genre_bit.get(name)
        rows = np.flatnonzero(self.table.genre_arr[:, col]) if col is not None else np.empty(0, np.int64)
        rows = rows[np.argsort(-self.table.prior[rows])[:200]]
        return self._centroid(rows, self.table.prior[rows] + 1e-3)

    def _person(self, name: str) -> np.ndarray | None:
        """Centroid of the person's titles, weighted by role and quality."""
        roles = self.table.people.get(name, {})
        rows = np.fromiter(roles.keys(), dtype=np.int64, count=len(roles))
        w = np.fromiter(roles.values(), dtype=np.float32, count=len(roles))
        return self._centroid(rows, w * (0.2 + self.table.prior[rows]))


def _title_vectors(index: Any, tconsts: list[str]) -> tuple[np.ndarray, list[int]]:
    """Vectors of the titles the index knows (one gather for a VectorSpace) and their positions in tconsts."""
    if isinstance(index, VectorSpace):
        pos = [i for i, t in enumerate(tconsts) if t in index.row_of and index.present[index.row_of[t]]]
        rows = [index.row_of[tconsts[i]] for i in pos]
        return index.matrix[rows], pos
    vectors, pos = [], []
    for i, tconst in enumerate(tconsts):
        try:
            vectors.append(np.asarray(index.vector(tconst), dtype=np.float32))
        except (KeyError, LookupError, ValueError):
            continue
        pos.append(i)
    return (np.vstack(vectors) if vectors else np.empty((0, 0), dtype=np.float32)), pos


def evidence_weights(
    signals: UserSignals, now: datetime, titles: dict[str, float] | None = None
) -> dict[str, float]:
    """Net weight per title behind the preference vector: `title_weights` (``titles`` when the caller has
    them; not modified) plus onboarding-liked titles at `SEED_TITLE`."""
    weights = dict(titles) if titles is not None else title_weights(signals, now)
    prefs = signals.preferences
    for tconst in prefs.liked_titles:
        if tconst not in weights and tconst not in prefs.muted_titles:
            weights[tconst] = SEED_TITLE
    return weights


def _seed_evidence(signals: UserSignals, seeds: SeedVectors) -> list[tuple[np.ndarray, float]]:
    prefs = signals.preferences
    extra = [(seeds.genre(g), SEED_GENRE) for g in prefs.liked_genres]
    extra += [(seeds.genre(g), float(b)) for g, b in prefs.boosted_genres.items()]
    extra += [(seeds.genre(g), SEED_DISLIKED_GENRE) for g in prefs.disliked_genres]
    extra += [(seeds.person(p), SEED_PERSON) for p in prefs.liked_people]
    return [(v, x) for v, x in extra if v is not None and x != 0]


def evidence(
    signals: UserSignals,
    index: Any,
    now: datetime,
    *,
    seeds: SeedVectors | None = None,
    titles: dict[str, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, weights) behind the preference vector; titles missing from the index are skipped.

    ``titles``: `title_weights(signals, now)` when the caller has it already (it is not modified).
    """
    weights = evidence_weights(signals, now, titles)
    tconsts = [t for t, w in weights.items() if w != 0]
    matrix, pos = _title_vectors(index, tconsts)
    vectors = [matrix] if pos else []
    w = [weights[tconsts[i]] for i in pos]
    if seeds is not None:
        kept = _seed_evidence(signals, seeds)
        if kept:
            vectors.append(np.vstack([v for v, _ in kept]))
            w += [x for _, x in kept]
    if not w:
        return np.empty((0, 0), dtype=np.float32), np.empty(0, dtype=np.float32)
    return np.vstack(vectors), np.asarray(w, dtype=np.float32)


def positive_evidence(
    signals: UserSignals,
    space: VectorSpace,
    now: datetime,
    *,
    seeds: SeedVectors | None = None,
    titles: dict[str, float] | None = None,
) -> int:
    """How many of `evidence`'s weights are positive, without gathering a vector (for a stored vector)."""
    n = sum(
        1
        for t, w in evidence_weights(signals, now, titles).items()
        if w > 0 and (row := space.row_of.get(t)) is not None and space.present[row]
    )
    return n + (sum(1 for _, x in _seed_evidence(signals, seeds) if x > 0) if seeds is not None else 0)


def combine(vectors: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
    """u = normalise(P − 0.5·N) from weighted evidence; None without positive evidence."""
    pos = weights > 0
    if not pos.any():
        return None
    u = weights[pos] @ vectors[pos] / weights[pos].sum()
    neg = ~pos
    if neg.any():
        u = u - NEGATIVE_PULL * (-weights[neg]) @ vectors[neg] / (-weights[neg]).sum()
    return normalise(np.asarray(u, dtype=np.float32))


def preference_vector(
    signals: UserSignals, index: Any, now: datetime, *, seeds: SeedVectors | None = None
) -> np.ndarray | None:
    """The user's normalised taste vector, or None without positive evidence.

    Args:
        signals: the user's interactions and onboarding preferences.
        index: anything with `vector(tconst) -> np.ndarray` (a `TitleIndex`, the engine's `VectorSpace`).
        now: the reference time for recency decay and "not now" expiry.
        seeds: genre and person vectors for onboarding answers (`SeedVectors.build(catalog, index)`).
    """
    return combine(*evidence(signals, index, now, seeds=seeds))
