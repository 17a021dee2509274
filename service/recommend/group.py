"""Tonight / group mode: one list for several people, excluding anything any of them has seen.

Each member's blended feed score is computed as in the personal feed; the group score mixes the average with
the least happy member (0.6 · mean + 0.4 · min), so one person's strong dislike sinks a title.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from wtw.service.recommend import feed as F
from wtw.service.recommend import reasons as R
from wtw.service.recommend.context import Context
from wtw.service.recommend.signals import UserSignals
from wtw.service.recommend.space import mmr, top_rows
from wtw.service.recommend.titles import Constraints

MEAN_WEIGHT, MIN_WEIGHT = 0.6, 0.4


def group_constraints(members: list[UserSignals]) -> Constraints:
    """The members' onboarding constraints together; a type restriction nobody shares is dropped."""
    merged = Constraints()
    for m in members:
        merged = merged.merge(F.onboarding_constraints(m))
    if merged.types is not None and not merged.types:
        merged = merged.without("types")
    if merged.year_from is not None and merged.year_to is not None and merged.year_from > merged.year_to:
        merged = merged.without("year_from", "year_to")
    return merged


def group(
    ctx: Context, members: list[UserSignals], *, limit: int, constraints: Constraints, now: datetime
) -> R.Ranked:
    if not members:
        return []
    allowed = ctx.table.mask(constraints.merge(group_constraints(members))).copy()
    tastes = [F.taste(ctx, m, now) for m in members]
    scores = []
    for m, t in zip(members, tastes, strict=True):
        allowed[F.hidden_rows(ctx, m, now)] = False
        scores.append(F.blended(ctx, m, t, now).score)
    stacked = np.vstack(scores)
    score = MEAN_WEIGHT * stacked.mean(axis=0) + MIN_WEIGHT * stacked.min(axis=0)
    pool = top_rows(score, max(F.POOL, 2 * limit), allowed)
    picked = mmr(pool, F.relevance01(score[pool]), ctx.space.matrix, limit, lam=F.MMR_LAMBDA)
    out = []
    for r in picked:
        reasons = []
        for t in tastes:
            for reason in R.personal(ctx, r, t.anchors, "content")[:1]:
                if reason not in reasons:
                    reasons.append(reason)
        if len(members) > 1:
            everyone = "both" if len(members) == 2 else f"all {len(members)}"
            text = f"Fits the taste of {everyone} of you, and none of you has seen it"
            reasons.insert(0, R.Reason("group", text))
        out.append((r, float(score[r]), reasons[: R.MAX_REASONS]))
    return out
