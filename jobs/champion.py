"""Champion / challenger: which holdout the nightly gate judges on, and the published model's row in it.

The published model (the champion) names in its manifest the newest interaction it was trained on
(``train_cutoff``). What arrived after that cutoff is data no model has seen, so when there is enough
of it the gate uses the **forward** protocol: the challenger (tonight's recipe and trainer) is fitted
on the interactions up to the cutoff, and it and the champion *as published* (its weights, loaded from
the store) are both scored on what came after.

Without a champion, without a cutoff in its manifest, with a champion that cannot be loaded, or with
fewer than ``jobs.forward_min_likes`` held-out likes after the cutoff, the gate falls back to
**refit-temporal**: each user's latest interactions are held out and the champion is represented by its
recipe (the parameters in its manifest) refitted on the training part, since its published weights have
seen that holdout.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from wtw.errors import ArtifactError, NotFoundError
from wtw.jobs.gate import (
    Holdout,
    Metrics,
    ease_scores,
    evaluate,
    forward_holdout,
    held_out_likes,
    temporal_holdout,
)
from wtw.jobs.interactions import Interactions
from wtw.jobs.train import EaseParams, NotEnoughData, Trainer, fit_ease
from wtw.service.recommend.collab import CollabModel, load_collab

if TYPE_CHECKING:
    import numpy as np

    from wtw.store import ArtifactStore

logger = logging.getLogger(__name__)

CUTOFF_FIELD = "train_cutoff"
FORWARD, REFIT_TEMPORAL = "forward", "refit-temporal"


def cutoff_fields(data: Interactions) -> dict[str, str]:
    """The manifest field that names the newest interaction a model was trained on (UTC, ISO 8601)."""
    if not len(data):
        return {}
    return {CUTOFF_FIELD: datetime.fromtimestamp(int(data.times.max()), UTC).isoformat()}


@dataclass
class Protocol:
    """The holdout a run is judged on and why; ``model`` is the champion as published (forward only)."""

    name: str
    holdout: Holdout
    reason: str
    champion: str | None = None
    cutoff: str | None = None
    forward_likes: int | None = None
    min_forward_likes: int = 0
    model: CollabModel | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the report: the protocol, why, and the forward holdout's size when one was looked at."""
        return {
            "protocol": self.name,
            "reason": self.reason,
            "champion": self.champion,
            "cutoff": self.cutoff,
            "forward_likes": self.forward_likes,
            "min_forward_likes": self.min_forward_likes,
            "users": int(self.holdout.users.size),
        }


def choose_protocol(
    data: Interactions,
    store: ArtifactStore,
    champion: str | None,
    manifest: dict[str, Any],
    *,
    holdout: float,
    min_forward_likes: int,
) -> Protocol:
    """Forward when the champion has a cutoff and enough likes arrived after it, else refit-temporal."""

    def fallback(reason: str, **known: Any) -> Protocol:
        split = temporal_holdout(data, holdout=holdout)
        return Protocol(REFIT_TEMPORAL, split, reason, champion, min_forward_likes=min_forward_likes, **known)

    if champion is None:
        return fallback("no published model yet")
    raw = manifest.get(CUTOFF_FIELD)
    cutoff = _epoch(raw)
    if cutoff is None:
        return fallback(f"published {champion} has no training cutoff in its manifest")
    split = forward_holdout(data, cutoff=cutoff)
    likes = held_out_likes(split)
    if likes < min_forward_likes:
        return fallback(
            f"{likes} held-out likes after the cutoff of {champion} ({raw}), fewer than {min_forward_likes}",
            cutoff=raw,
            forward_likes=likes,
        )
    try:
        model = load_collab(store.fetch("usermodel", champion))
    except (ArtifactError, NotFoundError) as exc:
        logger.warning("champion %s cannot be loaded, gate falls back to refit-temporal: %s", champion, exc)
        return fallback(f"published {champion} cannot be loaded: {exc}", cutoff=raw, forward_likes=likes)
    reason = (
        f"{likes} held-out likes of {split.users.size} users after the cutoff of {champion} ({raw});"
        " challenger fitted on the interactions up to it, champion scored as published"
    )
    return Protocol(FORWARD, split, reason, champion, raw, likes, min_forward_likes, model)


def champion_metrics(
    protocol: Protocol,
    manifest: dict[str, Any],
    *,
    candidate: Metrics,
    trainer: Trainer,
    params: EaseParams,
    titles: list[str],
    item_vectors: dict[str, np.ndarray] | None,
) -> Metrics | None:
    """The published model's metrics on the protocol's holdout (None when its recipe cannot be refitted)."""
    if protocol.model is not None:
        return evaluate(ease_scores(protocol.model, titles), protocol.holdout, item_vectors=item_vectors)
    recipe = EaseParams(**manifest.get("params", {}))
    if trainer is fit_ease and recipe == params:  # EASE is deterministic: the refit is the candidate
        return candidate
    try:
        refit = fit_ease(protocol.holdout.train, recipe)
    except NotEnoughData:
        return None
    return evaluate(ease_scores(refit, titles), protocol.holdout, item_vectors=item_vectors)


def _epoch(value: Any) -> int | None:
    """Epoch seconds of an ISO 8601 cutoff (naive means UTC); None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp())
