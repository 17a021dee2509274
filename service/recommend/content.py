"""Content-only scoring: the user's evidence against the title vectors, in a centred space, plus release era.

The preference vector (`profile.py`) is a weighted mean of unit title vectors. Sentence-embedding spaces are
anisotropic: every vector shares a large common component (all-MiniLM-L6-v2 on the catalog documents: mean
cosine between two titles about 0.3), so a mean of many titles points at the catalog mean, and the titles
closest to it are the ones whose documents say least ("Blankman (1994). Movie. Genres: Comedy."). Scoring in
the space centred on the catalog mean removes that shared direction (Mu & Viswanath, "All-but-the-Top", ICLR
2018; a Rocchio profile with the catalog as the non-relevant set). Sentence embeddings also barely encode a
release year, which is a strong taste signal (eras), so the catalog's year column adds an era term:

    score(i) = cos(ũ, ṽ_i)  +  λ_era · era(i)
    ṽ = (v − μ) / ‖v − μ‖,  μ = mean title vector of the catalog
    ũ = P̃ − pull · Ñ,  P̃ (Ñ) = weighted mean of the centred positive (negative) evidence vectors, with
        `profile.evidence`'s weights (ratings, likes, watchlist, onboarding seeds, decay)
    era(i) = log( Σ_{t: w_t > 0} w_t · exp(−(y_i − y_t)² / 2h²) / Σ w_t  +  floor )

with h the bandwidth in years. Nothing here reads interaction counts, votes or ratings of other users: only
the catalog's vectors and years, and the user's own evidence. The constants (pull 0, λ_era 0.05, h 2 years,
floor 1e-3) were chosen on the new-title cut of a validation split of ml-latest-small (`wtw eval`,
reports/eval/report.md). The negative pull is 0: in MovieLens a title rated low was still chosen by the user
and lies close to what they go on to like, so pushing away from it loses (0.127 vs 0.095 NDCG@20 centred).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from wtw.service.recommend.profile import SeedVectors, evidence, evidence_weights, title_weights
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import VectorSpace
from wtw.service.recommend.titles import TitleTable

NORM_BLOCK = 65_536
"""Rows per block when computing the centred norms (bounds the temporary copy on big catalogs)."""


@dataclass(frozen=True)
class ContentParams:
    """The content scorer's constants (the defaults are the ones chosen on validation)."""

    centre: bool = True
    """Score in the space centred on the catalog mean; False gives the preference vector's raw cosine."""
    negative_pull: float = 0.0
    """Weight of the negative-evidence mean subtracted from the positive one (the preference vector's 0.5)."""
    era_weight: float = 0.05
    """λ_era; 0 turns the era term off."""
    era_bandwidth: float = 2.0
    """h, in years."""
    era_floor: float = 1e-3
    """Added to the era density before the log: bounds the penalty of an era the user never rated."""

    def label(self) -> str:
        space = "centred" if self.centre else "raw"
        era = f"era {self.era_weight:g} (h={self.era_bandwidth:g})" if self.era_weight else "no era"
        return f"{space}, pull {self.negative_pull:g}, {era}"


PREFERENCE_VECTOR = ContentParams(centre=False, negative_pull=0.5, era_weight=0.0)
"""The service's preference vector against the raw title vectors (`profile.preference_vector`)."""


class ContentSpace:
    """The catalog mean and each title's distance to it, and the catalog's release years (built once)."""

    def __init__(self, table: TitleTable, space: VectorSpace) -> None:
        self.space = space
        present = space.present
        matrix = space.matrix
        if present.any():
            total = np.zeros(matrix.shape[1], dtype=np.float64)
            for start in range(0, matrix.shape[0], NORM_BLOCK):
                block = matrix[start : start + NORM_BLOCK]
                total += block[present[start : start + NORM_BLOCK]].sum(axis=0, dtype=np.float64)
            self.mean = (total / int(present.sum())).astype(np.float32)
        else:
            self.mean = np.zeros(matrix.shape[1], dtype=np.float32)
        norms = np.empty(matrix.shape[0], dtype=np.float32)
        for start in range(0, matrix.shape[0], NORM_BLOCK):
            norms[start : start + NORM_BLOCK] = np.linalg.norm(
                matrix[start : start + NORM_BLOCK] - self.mean, axis=1
            )
        self.norms = np.where(present & (norms > 0), norms, 1.0).astype(np.float32)
        """‖v − μ‖ per row (1 where the title has no vector or sits on the mean)."""
        self.years = table.year_arr
        self.row_of = table.row_of

    def centred(self, vectors: np.ndarray) -> np.ndarray:
        """(v − μ) / ‖v − μ‖ for each row of ``vectors``."""
        x = np.asarray(vectors, dtype=np.float32) - self.mean
        norms = np.linalg.norm(x, axis=1, keepdims=True)
        return x / np.where(norms > 0, norms, 1.0)

    def cosines(
        self, query: np.ndarray, rows: np.ndarray | None = None, *, centre: bool = True
    ) -> np.ndarray:
        """cos(query, ṽ_i) for ``rows`` (all rows when None) without materialising the centred matrix;
        the raw cosine when ``centre`` is False. Rows without a vector score -inf."""
        q = np.asarray(query, dtype=np.float32)
        matrix = self.space.matrix if rows is None else self.space.matrix[rows]
        present = self.space.present if rows is None else self.space.present[rows]
        raw = matrix @ q
        if centre:
            norms = self.norms if rows is None else self.norms[rows]
            raw = (raw - float(self.mean @ q)) / norms
        return np.where(present, raw, -np.inf)


def direction(
    cs: ContentSpace, vectors: np.ndarray, weights: np.ndarray, params: ContentParams
) -> np.ndarray | None:
    """ũ from weighted evidence vectors (`profile.evidence`'s); None without positive evidence."""
    pos = weights > 0
    if not pos.any():
        return None
    x = cs.centred(vectors) if params.centre else np.asarray(vectors, dtype=np.float32)
    u = weights[pos] @ x[pos] / weights[pos].sum()
    neg = weights < 0
    if neg.any() and params.negative_pull:
        u = u - params.negative_pull * (-weights[neg]) @ x[neg] / (-weights[neg]).sum()
    norm = float(np.linalg.norm(u))
    return (u / norm).astype(np.float32) if norm > 0 else None


def era_affinity(
    cs: ContentSpace, titles: dict[str, float], rows: np.ndarray | None, params: ContentParams
) -> np.ndarray:
    """era(i) for ``rows`` (all when None) from the positive title evidence; 0 everywhere without any
    dated positive title. A row without a year gets the mean era of the dated rows (no information)."""
    n = cs.years.shape[0] if rows is None else len(rows)
    pairs = [(cs.row_of[t], w) for t, w in titles.items() if w > 0 and t in cs.row_of]
    if not pairs:
        return np.zeros(n, dtype=np.float32)
    ev_years = cs.years[[r for r, _ in pairs]].astype(np.float64)
    w = np.array([x for _, x in pairs], dtype=np.float64)
    dated = ev_years >= 0
    if not dated.any():
        return np.zeros(n, dtype=np.float32)
    ev_years, w = ev_years[dated], w[dated]
    years = cs.years if rows is None else cs.years[rows]
    distinct, inverse = np.unique(years, return_inverse=True)
    d = (distinct[:, None].astype(np.float64) - ev_years[None, :]) / params.era_bandwidth
    density = np.exp(-0.5 * d * d) @ w / w.sum()
    per_year = np.log(density + params.era_floor)
    known = distinct >= 0
    if not known.all():
        counts = np.bincount(inverse, minlength=distinct.size)
        fill = float(np.average(per_year[known], weights=counts[known])) if known.any() else 0.0
        per_year[~known] = fill
    return per_year[inverse].astype(np.float32)


def content_scores(
    cs: ContentSpace,
    signals: UserSignals,
    now: datetime,
    *,
    rows: np.ndarray | None = None,
    seeds: SeedVectors | None = None,
    params: ContentParams | None = None,
) -> np.ndarray | None:
    """score(i) for ``rows`` (every catalog row when None); None without positive evidence.

    Rows without a vector score -inf. Exact over the rows given (no ANN shortlist): callers with a big
    catalog pass the rows they rank.
    """
    params = params or ContentParams()
    titles = title_weights(signals, now)
    vectors, weights = evidence(signals, cs.space, now, seeds=seeds, titles=titles)
    u = direction(cs, vectors, weights, params) if weights.size else None
    if u is None:
        return None
    scores = cs.cosines(u, rows, centre=params.centre)
    if params.era_weight:
        scores = scores + params.era_weight * era_affinity(
            cs, evidence_weights(signals, now, titles), rows, params
        )
    return scores
