from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from wtw.cli import app


def test_wtw_eval_writes_report_plots_and_json(ml_root: Path, tmp_path: Path, settings_env: Path) -> None:
    out = tmp_path / "report"
    args = [
        "eval",
        "--data",
        str(ml_root),
        "--out",
        str(out),
        "--folds",
        "u1",
        "--lambdas",
        "10,100",
        "--no-engine",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text()
    for heading in (
        "## Goals",
        "Protocol (a)",
        "Cold-start cut",
        "New-title cut",
        "Protocol (b)",
        "Credibility",
    ):
        assert heading in report
    assert "| EASE |" in report and "| item-kNN |" in report
    assert "not measured" in report  # no engine: the feed and search goals are reported as such
    for png in ("protocol_a.png", "cold_start.png", "new_title.png", "by_history.png", "ml100k.png"):
        assert (out / png).stat().st_size > 1000
    data = json.loads((out / "results.json").read_text())
    assert set(data["protocol_a"]) == {"popularity", "item-kNN", "EASE", "collaborative (nightly EASE)"}
    assert data["ease_lambda"]["a"] in (10.0, 100.0)


def test_bad_lambdas_are_a_usage_error(ml_root: Path, tmp_path: Path, settings_env: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--data", str(ml_root), "--lambdas", "abc", "--no-engine"])
    assert result.exit_code != 0
    assert "lambdas" in str(result.exception) or "lambdas" in result.output


def test_missing_data_is_reported(tmp_path: Path, settings_env: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--data", str(tmp_path / "nowhere"), "--no-engine"])
    assert result.exit_code != 0
    assert "missing" in str(result.exception)


@pytest.mark.usefixtures("settings_env")
def test_wtw_eval_with_the_engine_tunes_the_feed_and_reports_every_recommender(
    ml_root: Path,
    ml_catalog: pl.DataFrame,
    tmp_path: Path,
    fake_encoder: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wtw.catalog.schema import write_catalog
    from wtw.embeddings import encoders
    from wtw.service.recommend import feed

    monkeypatch.setattr(encoders, "load_encoder", lambda _settings: fake_encoder)
    catalog = write_catalog(ml_catalog, tmp_path / "catalog.parquet")
    out = tmp_path / "report"
    args = ["eval", "--data", str(ml_root), "--out", str(out), "--folds", "u1", "--lambdas", "100"]
    result = CliRunner().invoke(app, [*args, "--catalog", str(catalog), "--collab-weights", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "results.json").read_text())
    engine_rows = {
        "content-only",
        "content-only, no era term",
        "content-only, preference vector (before)",
        "hybrid feed",
        "hybrid feed, no collaborative model",
        "hybrid feed (tuned w_k)",
    }
    assert engine_rows <= set(data["protocol_a"]) and engine_rows <= set(data["new_title"])
    assert set(data["collab_tuning"]) == {str(feed.COLLAB_WEIGHT), "2.0"}
    assert data["collab_weight"] in (feed.COLLAB_WEIGHT, 2.0)
    assert data["content_params"] in data["content_tuning"]
    assert set(data["content_tuning_popularity"]) == {"new-title", "a"}
    report = (out / "report.md").read_text()
    assert "chosen on validation" in report and "search not evaluated" in report
    assert "### The content-only scorer" in report and "(chosen)" in report
