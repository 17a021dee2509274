"""Champion / challenger: a forward holdout after the published model's cutoff, or the refit fallback."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from wtw.jobs.champion import CUTOFF_FIELD
from wtw.jobs.nightly import KIND, run_nightly
from wtw.store import open_store

from .conftest import broken_trainer

GENRES = 4  # conftest's clusters: title i is of genre i % 4, user u likes genre (u - 1) % 4


def add_later_likes(url: str, after: datetime, *, users: int, per_user: int, seed: int = 1) -> int:
    """``per_user`` high ratings of titles new to each user (in their cluster) after ``after``; how many."""
    from wtw.service import crud
    from wtw.service.db import make_engine
    from wtw.service.models import Feedback, Rating

    rng = random.Random(seed)
    engine = make_engine(url)
    added = 0
    with Session(engine) as session:
        for user_id in range(1, users + 1):
            rated = set(session.exec(select(Rating.tconst).where(Rating.user_id == user_id)))
            rated |= set(session.exec(select(Feedback.tconst).where(Feedback.user_id == user_id)))
            genre = (user_id - 1) % GENRES
            unrated = [f"tt{1000000 + i:07d}" for i in range(genre, 80, GENRES)]
            unrated = [t for t in unrated if t not in rated]
            for j, tconst in enumerate(rng.sample(unrated, per_user)):
                crud.upsert_rating(
                    session=session, user_id=user_id, tconst=tconst, rating=10,
                    rated_at=after + timedelta(hours=1 + j), commit=False,
                )  # fmt: skip
                added += 1
        session.commit()
    engine.dispose()
    return added


def with_jobs(settings: Any, **jobs: Any) -> Any:
    return settings.model_copy(update={"jobs": settings.jobs.model_copy(update=jobs)})


def test_forward_gate_blocks_a_worse_challenger_and_keeps_the_champion(world) -> None:  # type: ignore[no-untyped-def]
    store = open_store(world.settings)
    champion = run_nightly(world.settings)
    assert champion.report["gate"]["protocol"] == "refit-temporal"
    assert champion.report["gate"]["reason"] == "no published model yet"
    cutoff = store.manifest(KIND)[CUTOFF_FIELD]
    assert add_later_likes(world.url, datetime.fromisoformat(cutoff), users=60, per_user=3) == 180
    settings = with_jobs(world.settings, forward_min_likes=150)

    bad = run_nightly(settings, trainer=broken_trainer)
    gate = bad.report["gate"]
    assert (gate["protocol"], gate["champion"], gate["cutoff"], gate["forward_likes"]) == (
        "forward", champion.version, cutoff, 180
    )  # fmt: skip
    assert not bad.accepted and store.latest(KIND) == champion.version
    assert any("ndcg@20" in r and f"champion {champion.version}" in r for r in bad.report["reasons"])
    metrics = bad.report["metrics"]
    assert metrics[f"champion {champion.version}"]["users"] == metrics["candidate"]["users"] == 60
    text = (bad.report_dir / "report.md").read_text()
    assert "gate protocol: **forward** (180 held-out likes of 60 users" in text
    assert f"holdout: every interaction after {cutoff}, the champion's training cutoff" in text

    good = run_nightly(settings)  # tonight's EASE fitted up to the cutoff is the champion: not worse
    assert good.report["gate"]["protocol"] == "forward" and good.accepted, good.report["reasons"]
    manifest = store.manifest(KIND)
    assert store.latest(KIND) == good.version and manifest["gate"] == "forward"
    assert datetime.fromisoformat(manifest[CUTOFF_FIELD]) > datetime.fromisoformat(cutoff)


def test_too_few_forward_likes_fall_back_to_the_refit_temporal_holdout(world) -> None:  # type: ignore[no-untyped-def]
    store = open_store(world.settings)
    champion = run_nightly(world.settings)
    cutoff = store.manifest(KIND)[CUTOFF_FIELD]
    add_later_likes(world.url, datetime.fromisoformat(cutoff), users=10, per_user=2)

    result = run_nightly(with_jobs(world.settings, forward_min_likes=150), trainer=broken_trainer)
    gate = result.report["gate"]
    assert gate["protocol"] == "refit-temporal" and gate["forward_likes"] == 20
    why = f"20 held-out likes after the cutoff of {champion.version} ({cutoff}), fewer than 150"
    assert gate["reason"] == why
    assert f"published {champion.version}" in result.report["metrics"]
    assert not result.accepted and store.latest(KIND) == champion.version
    text = (result.report_dir / "report.md").read_text()
    assert f"gate protocol: **refit-temporal** ({why})" in text


def test_a_champion_without_a_cutoff_falls_back_to_the_refit_temporal_holdout(world) -> None:  # type: ignore[no-untyped-def]
    store = open_store(world.settings)
    champion = run_nightly(world.settings)
    cutoff = store.manifest(KIND)[CUTOFF_FIELD]
    add_later_likes(world.url, datetime.fromisoformat(cutoff), users=60, per_user=3)
    path = Path(world.settings.artifact_root) / KIND / champion.version / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest[CUTOFF_FIELD]  # published before the gate recorded cutoffs
    path.write_text(json.dumps(manifest))

    result = run_nightly(with_jobs(world.settings, forward_min_likes=150))
    gate = result.report["gate"]
    assert gate["protocol"] == "refit-temporal" and gate["forward_likes"] is None
    assert gate["reason"] == f"published {champion.version} has no training cutoff in its manifest"
    assert result.accepted and store.manifest(KIND)[CUTOFF_FIELD]  # the new model records its cutoff
