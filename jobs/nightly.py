"""`wtw jobs nightly`: refresh the index, rebuild preference vectors, train, gate and publish the user model.

Order matters for failure safety. A refreshed catalog is embedded and indexed first (`jobs.reindex`) and
published as `wtw build` publishes it. Then everything else is computed; the vectors are committed in one
transaction; the model is published last through the artifact store (files, manifest, then LATEST). A run that
dies at any point leaves the previous vectors and the previous `usermodel` serving. The gate is champion /
challenger on a forward holdout when the data allows it, else a refitted temporal one (`jobs.champion`).
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wtw.config import Settings
from wtw.errors import ArtifactError
from wtw.jobs.champion import FORWARD, champion_metrics, choose_protocol, cutoff_fields
from wtw.jobs.gate import decide, ease_scores, evaluate, popularity_scores
from wtw.jobs.interactions import Interactions, read_interactions
from wtw.jobs.lock import job_lock
from wtw.jobs.reindex import refresh_index
from wtw.jobs.report import write_report
from wtw.jobs.steps import Steps, run_steps
from wtw.jobs.train import EaseParams, NotEnoughData, Trainer, fit_ease, popularity
from wtw.service.recommend.collab import MODEL_KIND, CollabModel

if TYPE_CHECKING:
    from wtw.embeddings.encoders import Encoder

logger = logging.getLogger(__name__)

KIND = "usermodel"


@dataclass
class NightlyResult:
    run_id: str
    accepted: bool
    version: str | None
    report_dir: Path
    report: dict[str, Any] = field(default_factory=dict)


def params_from(settings: Settings) -> EaseParams:
    jobs = settings.jobs
    return EaseParams(
        l2=jobs.ease_l2, min_interactions=jobs.collab_min_interactions, max_items=jobs.collab_max_items
    )


def run_nightly(
    settings: Settings,
    *,
    wait_seconds: float | None = None,
    trainer: Trainer = fit_ease,
    encoder: Encoder | None = None,
    progress: bool = True,
) -> NightlyResult:
    """One locked run of the whole job.

    Args:
        trainer: the candidate's training function (tests break it).
        encoder: embeds a refreshed catalog; by default the configured one, loaded only when needed.
    """
    from wtw.service.db import make_engine

    wait = settings.jobs.lock_wait_seconds if wait_seconds is None else wait_seconds
    with job_lock(settings.database_url, wait_seconds=wait, fallback_dir=Path(settings.data_dir)):
        engine = make_engine(settings.database_url)
        started = datetime.now(UTC)
        run_id = f"{started:%Y%m%dT%H%M%SZ}"
        logger.info("nightly run_id=%s start", run_id)
        try:
            with run_steps(run_id, progress=progress) as steps:
                try:
                    result = _run(
                        settings, engine, trainer=trainer, encoder=encoder, started=started, steps=steps
                    )
                except BaseException as exc:
                    logger.error("nightly run_id=%s failed step=%r error=%r", run_id, steps.current, exc)
                    raise
        finally:
            engine.dispose()
    data = result.report["data"]
    logger.info(
        "nightly run_id=%s end accepted=%s version=%s users=%d rows_read=%d rows_rejected=%d seconds=%.1f"
        " gate=%s",
        run_id,
        result.accepted,
        result.version,
        data["users"],
        data["rows_read"],
        data["rows_rejected"],
        sum(steps.timings.values()),
        result.report["gate"]["protocol"],
    )
    return result


def _run(
    settings: Settings,
    engine: Any,
    *,
    trainer: Trainer,
    encoder: Encoder | None,
    started: datetime,
    steps: Steps,
) -> NightlyResult:
    from wtw.store import open_store

    run_id, lap = steps.run_id, steps.done
    store = open_store(settings)
    embeddings = refresh_index(settings, store, encoder=encoder)
    lap("catalog embeddings")
    data = read_interactions(engine, chunk_rows=settings.jobs.chunk_rows)
    lap("read interactions")
    params = params_from(settings)
    published = store.latest(KIND)
    published_manifest = store.manifest(KIND, published) if published else {}
    protocol = choose_protocol(
        data,
        store,
        published,
        published_manifest,
        holdout=settings.jobs.holdout,
        min_forward_likes=settings.jobs.forward_min_likes,
    )
    holdout = protocol.holdout
    logger.info("nightly run_id=%s gate=%s %s", run_id, protocol.name, protocol.reason)
    item_vectors = _genre_vectors(store)
    metrics: dict[str, Any] = {}
    candidate, not_trained = _fit(trainer, holdout.train, params)
    cand = (
        evaluate(ease_scores(candidate, data.titles), holdout, item_vectors=item_vectors)
        if candidate
        else None
    )
    lap("train + evaluate candidate")
    baselines = {
        "popularity": evaluate(
            popularity_scores(popularity(holdout.train)), holdout, item_vectors=item_vectors
        )
    }
    if published is not None and cand is not None:
        champion = champion_metrics(
            protocol,
            published_manifest,
            candidate=cand,
            trainer=trainer,
            params=params,
            titles=data.titles,
            item_vectors=item_vectors,
        )
        if champion is not None:
            baselines[f"{'champion' if protocol.name == FORWARD else 'published'} {published}"] = champion
    lap("baselines")
    if cand is None:
        accepted, reasons = False, [not_trained]
    else:
        decision = decide(cand, baselines, settings.jobs.quality_tolerance)
        accepted, reasons = decision.accepted, decision.reasons
        metrics["candidate"] = cand.as_dict()
    metrics.update({name: m.as_dict() for name, m in baselines.items()})
    report: dict[str, Any] = {
        "run_id": run_id,
        "started": started.isoformat(),
        "accepted": accepted,
        "reasons": reasons,
        "params": params.model_dump(),
        "holdout": settings.jobs.holdout,
        "gate": protocol.as_dict(),
        "tolerance": settings.jobs.quality_tolerance,
        "data": {
            "users": data.n_users,
            "pairs": len(data),
            "rows_read": data.rows_read,
            "rows_rejected": data.rows_rejected,
            "titles": len(data.titles),
        },
        "embeddings": embeddings,
        "vectors": None,
        "metrics": metrics,
        "published_before": published,
        "timings": steps.timings,
        "version": None,
    }
    with tempfile.TemporaryDirectory(prefix="wtw-nightly-") as tmp:
        out = Path(tmp)
        files: dict[str, Path] = {}
        fields: dict[str, Any] = {}
        if accepted:
            model = trainer(data, params)
            lap("train on all data")
            files = model.save(out / "model")
            fields = {
                "model": MODEL_KIND,
                "params": params.model_dump(),
                "titles": len(model),
                "metrics": metrics,
                "users": data.n_users,
                "interactions": len(data),
                "run_id": run_id,
                "gate": protocol.name,
                **cutoff_fields(data),
            }
        else:
            logger.warning("nightly run_id=%s refused reasons=%r", run_id, "; ".join(reasons))

        def publish() -> None:
            """Runs just before the vectors commit: both become visible together, or neither."""
            lap("preference vectors")
            if accepted:
                files.update(write_report(report, out / "report"))
                report["version"] = store.publish(KIND, files, fields)
                lap("publish")
                logger.info("nightly run_id=%s published version=%s", run_id, report["version"])

        report["vectors"] = _vectors(settings, store, engine, started, publish)
        report_dir = Path(settings.data_dir) / "jobs" / "reports" / run_id
        write_report(report, report_dir)
    version = report["version"]
    return NightlyResult(run_id, accepted, version, report_dir, report)


def _fit(trainer: Trainer, data: Interactions, params: EaseParams) -> tuple[CollabModel | None, str]:
    """The trained model, or None and why when the data cannot train one yet (not an error)."""
    if not len(data):
        return None, "no interactions to train on"
    try:
        return trainer(data, params), ""
    except NotEnoughData as exc:
        return None, str(exc)


def _vectors(
    settings: Settings, store: Any, engine: Any, started: datetime, before_commit: Callable[[], None]
) -> str:
    """Rebuild every preference vector against the published index; a note for the report."""
    import numpy as np

    from wtw.catalog import read_catalog
    from wtw.jobs.vectors import TitleVectors, rebuild_vectors, vector_space

    if store.latest("index") is None:
        logger.warning("no index published yet: preference vectors left as they are")
        before_commit()
        return "skipped (no index published)"
    art = store.fetch("index")
    catalog = read_catalog(
        store.fetch("catalog", art.manifest.get("catalog_version")).file("catalog.parquet")
    )
    vocab = json.loads(art.file("vocab.json").read_text())
    tconsts = vocab["tconsts"] if isinstance(vocab, dict) else vocab
    vectors = np.load(art.file("vectors.npy"), mmap_mode="r")
    if len(tconsts) != vectors.shape[0]:
        raise ArtifactError(f"index {art.version}: {len(tconsts)} tconsts for {vectors.shape[0]} vectors")
    space, seeds = vector_space(catalog, TitleVectors(np.asarray(vectors), list(tconsts)))
    counts = rebuild_vectors(
        engine,
        space=space,
        seeds=seeds,
        model_id=str(art.manifest.get("model_id")),
        started=started,
        before_commit=before_commit,
    )
    return f"{counts.written} written, {counts.removed} removed, {counts.kept_newer} newer online kept"


def _genre_vectors(store: Any) -> dict[str, Any] | None:
    """Multi-hot genres of the published catalog, for intra-list diversity (None without a catalog)."""
    from wtw.catalog import read_catalog
    from wtw.evaluation.metrics import genre_vectors

    if store.latest("catalog") is None:
        return None
    catalog = read_catalog(store.fetch("catalog").file("catalog.parquet"))
    return genre_vectors(dict(zip(catalog["tconst"].to_list(), catalog["genres"].to_list(), strict=True)))
