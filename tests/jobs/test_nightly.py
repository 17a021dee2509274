"""The nightly job end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import re
import threading
from datetime import datetime

import numpy as np
import pytest
from sqlmodel import Session, select

from wtw.errors import ConflictError
from wtw.jobs.lock import job_lock
from wtw.jobs.nightly import KIND, run_nightly
from wtw.service.recommend.collab import load_collab
from wtw.store import open_store

from .conftest import broken_trainer


def _vectors(url: str) -> dict[int, tuple[bytes, str]]:
    from wtw.service.db import make_engine
    from wtw.service.models import UserVector

    engine = make_engine(url)
    with Session(engine) as session:
        out = {v.user_id: (v.vector, v.source) for v in session.exec(select(UserVector))}
    engine.dispose()
    return out


def test_nightly_publishes_model_report_and_online_equal_vectors(world, fake_encoder) -> None:  # type: ignore[no-untyped-def]
    from wtw.service import crud
    from wtw.service.db import make_engine
    from wtw.service.recommend.context import Context
    from wtw.service.recommend.profile import preference_vector

    result = run_nightly(world.settings)
    assert result.accepted, result.report["reasons"]
    store = open_store(world.settings)
    assert store.latest(KIND) == result.version
    art = store.fetch(KIND)
    assert {"report.json", "report.md", "report.png", "ease_B.npy", "items.json"} <= set(
        art.manifest["files"]
    )
    assert (result.report_dir / "report.png").stat().st_size > 0
    metrics = result.report["metrics"]
    assert metrics["candidate"]["ndcg@20"] > metrics["popularity"]["ndcg@20"]
    assert "- candidate vs popularity: recall@20 +" in (result.report_dir / "report.md").read_text()
    model = load_collab(art)
    assert len(model) > 0

    stored = _vectors(world.url)
    assert len(stored) == 60 and {source for _, source in stored.values()} == {"nightly"}
    ctx = Context(world.catalog, world.index, fake_encoder)
    now = datetime.fromisoformat(result.report["started"])
    engine = make_engine(world.url)
    with Session(engine) as session:
        for user_id in (1, 6, 33):
            signals = crud.load_signals(session=session, user_id=user_id)
            online = preference_vector(signals, ctx.space, now, seeds=ctx.seeds)
            assert online is not None
            np.testing.assert_allclose(np.frombuffer(stored[user_id][0], dtype=np.float32), online, atol=1e-5)
    engine.dispose()

    again = run_nightly(world.settings)  # idempotent: the same recipe on the same data passes its own gate
    assert again.accepted and again.version != result.version
    assert "published " + result.version in again.report["metrics"]


def test_gate_refuses_a_broken_model(world) -> None:  # type: ignore[no-untyped-def]
    good = run_nightly(world.settings)
    bad = run_nightly(world.settings, trainer=broken_trainer)
    assert not bad.accepted
    assert any("ndcg@20" in r for r in bad.report["reasons"])
    assert open_store(world.settings).latest(KIND) == good.version
    assert (bad.report_dir / "report.md").read_text().count("refused") == 1


def test_killed_run_changes_nothing_visible(
    world, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    from wtw.store import ArtifactStore

    good = run_nightly(world.settings)
    before = _vectors(world.url)

    def die(self, kind, files, fields=None):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt  # the process is stopped while publishing

    monkeypatch.setattr(ArtifactStore, "publish", die)
    with pytest.raises(KeyboardInterrupt), caplog.at_level(logging.ERROR, logger="wtw.jobs"):
        run_nightly(world.settings)
    assert re.search(r"nightly run_id=\S+ failed step='publish' error=KeyboardInterrupt", caplog.text)
    assert open_store(world.settings).latest(KIND) == good.version
    assert _vectors(world.url) == before


def test_two_runs_never_overlap(world) -> None:  # type: ignore[no-untyped-def]
    url, data_dir = world.settings.database_url, world.settings.data_dir
    with job_lock(url, fallback_dir=data_dir), pytest.raises(ConflictError, match="another nightly run"):
        run_nightly(world.settings, wait_seconds=0)
    held, released = threading.Event(), threading.Event()

    def hold() -> None:
        with job_lock(url, fallback_dir=data_dir):
            held.set()
            released.wait(0.5)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        result = run_nightly(world.settings, wait_seconds=30)  # waits for the holder, then runs
    finally:
        released.set()
        holder.join()
    assert result.accepted


def test_young_database_refuses_the_model_but_still_rebuilds_vectors(world) -> None:  # type: ignore[no-untyped-def]
    jobs = world.settings.jobs.model_copy(update={"collab_min_interactions": 1000})
    result = run_nightly(world.settings.model_copy(update={"jobs": jobs}))
    assert not result.accepted and result.version is None
    assert result.report["reasons"] == ["no title has 1000 interactions yet; nothing to train"]
    assert open_store(world.settings).latest(KIND) is None
    assert len(_vectors(world.url)) == 60
    assert "refused" in (result.report_dir / "report.md").read_text()


def test_report_inside_the_artifact_names_no_missing_version(world) -> None:  # type: ignore[no-untyped-def]
    result = run_nightly(world.settings)
    text = (open_store(world.settings).fetch(KIND).path / "report.md").read_text()
    assert "None" not in text and "accepted, published as this version" in text
    assert f"published {result.version}" in (result.report_dir / "report.md").read_text()


def test_gate_refits_a_published_model_of_another_recipe(world) -> None:  # type: ignore[no-untyped-def]
    first = run_nightly(world.settings)
    jobs = world.settings.jobs.model_copy(update={"ease_l2": 5000.0})
    second = run_nightly(world.settings.model_copy(update={"jobs": jobs}))
    published = second.report["metrics"][f"published {first.version}"]
    assert published["users"] == second.report["metrics"]["candidate"]["users"]
    assert open_store(world.settings).manifest(KIND)["params"]["l2"] == (5000.0 if second.accepted else 100.0)


def test_cli_shows_the_summary_line_and_logs_key_value_steps(world, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from typer.testing import CliRunner

    from wtw.cli import app

    with caplog.at_level(logging.INFO, logger="wtw.jobs"):
        result = CliRunner().invoke(app, ["jobs", "nightly"])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())  # the console wraps long lines
    summary = r"nightly: ([\d,]+) read, ([\d,]+) rejected, [\d.]+ s, 60 users, published usermodel \S+"
    line = re.search(summary, output)
    assert line is not None, output
    assert int(line.group(1).replace(",", "")) > int(line.group(2).replace(",", "")) > 0
    run_id = re.search(r"run (\S+), report in", output).group(1)  # type: ignore[union-attr]
    logged = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith(f"nightly run_id={run_id} ")
    ]
    assert any(m.endswith("start") for m in logged)
    assert any(re.search(r"step='read interactions' seconds=\d+\.\d{3}$", m) for m in logged)
    assert any(" end accepted=True version=" in m and " users=60 " in m for m in logged)
