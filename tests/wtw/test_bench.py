from __future__ import annotations

from pathlib import Path

import pytest

from wtw.bench import AREAS, bench_command, run_area, stitch
from wtw.errors import InputError


def _area_script(folder: Path, area: str, body: str) -> None:
    (folder / area).mkdir(parents=True, exist_ok=True)
    (folder / area / f"bench_{area}.py").write_text(body)


def test_stitch_puts_each_fragment_under_its_heading(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "results.md").write_text("`bench_index.py`\n\n| kind | p50 |\n|---|---|\n")
    text = stitch(tmp_path).read_text()
    assert text.startswith("# Benchmark results")
    assert [line for line in text.splitlines() if line.startswith("## ")] == [
        "## Ingest",
        "## Embeddings",
        "## Index",
        "## API",
        "## Jobs",
        "## Scale (ingest → embed → index → serve)",
    ]
    assert "| kind | p50 |" in text
    assert "_Not run yet: `.venv/bin/python benchmarks/jobs/bench_jobs.py`._" in text


def test_run_area_passes_full_and_reports_failure(tmp_path: Path) -> None:
    _area_script(
        tmp_path / "benchmarks",
        "jobs",
        "import sys, pathlib\npathlib.Path(__file__).with_name('results.md').write_text(str(sys.argv[1:]))\n",
    )
    _area_script(tmp_path / "benchmarks", "api", "raise SystemExit(3)\n")
    folder = tmp_path / "benchmarks"
    assert run_area(folder, "jobs", full=True)
    assert (folder / "jobs" / "results.md").read_text() == "['--full']"
    assert not run_area(folder, "api", full=False)
    assert not run_area(folder, "index", full=False)  # no script


def test_unknown_area_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="unknown benchmark area"):
        bench_command(only=["gpu"])
    assert "index" in AREAS


def test_stitch_keeps_both_sizes(tmp_path: Path) -> None:
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "results.md").write_text("small: 100k")
    (tmp_path / "index" / "results-full.md").write_text("full: 1M")
    text = stitch(tmp_path).read_text()
    assert text.index("small: 100k") < text.index("full: 1M") < text.index("## API")
