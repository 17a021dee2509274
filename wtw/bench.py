"""`wtw bench`: run every area's benchmark and stitch their reports into benchmarks/RESULTS.md.

Each area has ``benchmarks/<area>/bench_<area>.py`` (small size by default, ``--full`` for full size) that
compares the project with its baseline in the same run and writes ``benchmarks/<area>/results.md``. This
command only orchestrates: it runs the scripts one after another (they would disturb each other's timings if
run together) and concatenates their fragments, so RESULTS.md always shows the latest run of each area.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from wtw.errors import InputError, WtwError
from wtw.progress import console

AREAS = ("ingest", "embed", "index", "api", "jobs", "scale")
TITLES = {
    "ingest": "Ingest",
    "embed": "Embeddings",
    "index": "Index",
    "api": "API",
    "jobs": "Jobs",
    "scale": "Scale (ingest → embed → index → serve)",
}
HEADER = """# Benchmark results

Every figure here comes from a run of the command written beside it, on the machine named beside it. The
machines are noisy: compare the project with its baseline from the same run (ratios), not absolute times
across runs. `make bench` (= `wtw bench`) runs every area at the small size; `wtw bench --full` at full size;
`wtw bench --only index` runs one area. Each section below is `benchmarks/<area>/results.md`, written by the
area's script.
"""


def benchmarks_dir() -> Path:
    """The repository's benchmarks/ folder (the package is installed editable from the repository)."""
    folder = Path(__file__).resolve().parents[1] / "benchmarks"
    if not folder.is_dir():
        raise InputError(f"{folder} not found: `wtw bench` runs from a clone of the repository")
    return folder


def script(folder: Path, area: str) -> Path:
    return folder / area / f"bench_{area}.py"


def run_area(folder: Path, area: str, *, full: bool) -> bool:
    """Run one area's script with its output streamed; True when it succeeded."""
    path = script(folder, area)
    if not path.is_file():
        console.print(f"[yellow]{area}: {path} missing, skipped[/]")
        return False
    command = [sys.executable, str(path), *(["--full"] if full else [])]
    console.rule(f"{TITLES[area]}: {' '.join(command[1:])}")
    started = time.perf_counter()
    code = subprocess.run(command, cwd=folder.parent, check=False).returncode
    console.print(
        f"{area}: {'ok' if code == 0 else f'FAILED (exit {code})'} in {time.perf_counter() - started:.0f} s"
    )
    return code == 0


def stitch(folder: Path) -> Path:
    """Write RESULTS.md from each area's latest fragments: results.md (small size), results-full.md."""
    parts = [HEADER]
    for area in AREAS:
        fragments = [folder / area / name for name in ("results.md", "results-full.md")]
        bodies = [f.read_text(encoding="utf-8").strip() for f in fragments if f.is_file()]
        body = "\n\n".join(bodies) or f"_Not run yet: `.venv/bin/python benchmarks/{area}/bench_{area}.py`._"
        parts.append(f"## {TITLES[area]}\n\n{body}\n")
    out = folder / "RESULTS.md"
    tmp = out.with_suffix(".md.tmp")
    tmp.write_text("\n".join(parts), encoding="utf-8")
    tmp.replace(out)
    return out


def bench_command(
    *,
    full: Annotated[bool, typer.Option("--full", help="Full sizes (long: tens of minutes).")] = False,
    only: Annotated[
        list[str] | None, typer.Option("--only", help=f"Run only these areas: {', '.join(AREAS)}.")
    ] = None,
    stitch_only: Annotated[
        bool, typer.Option("--stitch-only", help="Rebuild RESULTS.md from the areas' last results.")
    ] = False,
) -> None:
    """Run the benchmarks (small sizes unless --full) and write benchmarks/RESULTS.md."""
    areas = list(only or AREAS)
    unknown = sorted(set(areas) - set(AREAS))
    if unknown:
        raise InputError(f"unknown benchmark area(s) {', '.join(unknown)}; choose from {', '.join(AREAS)}")
    folder = benchmarks_dir()
    failed = [] if stitch_only else [area for area in areas if not run_area(folder, area, full=full)]
    console.print(f"wrote {stitch(folder)}")
    if failed:
        raise WtwError(f"benchmark(s) failed: {', '.join(failed)}")


def register(app: typer.Typer) -> None:
    """Add `wtw bench`."""
    app.command("bench")(bench_command)
