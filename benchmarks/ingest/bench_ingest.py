"""Ingest benchmark: the title.basics reader + type filter vs pandas.read_csv, and `wtw ingest` runs.

    .venv/bin/python benchmarks/ingest/bench_ingest.py            # 1M-row synthetic title.basics (small)
    nice .venv/bin/python benchmarks/ingest/bench_ingest.py --full  # 12M rows, IMDb's current size

Each contender runs in its own subprocess on the same file, in the same run; the clock starts after its
imports (timed apart), and its peak RSS is the kernel's VmHWM of that process. (ru_maxrss is not used: Linux
carries the parent's peak across fork/exec into it, which made every contender show the generator's peak.)
The synthetic file is written by a subprocess too, so the parent stays small. It has title.basics' columns,
type mix (72 % episodes), null rates, field lengths, bare quotes and unicode.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import polars as pl

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import machine, write_results  # noqa: E402

SHARED = REPO.parent / "shared" / "data"
BASICS_COLUMNS = ("tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
                  "runtimeMinutes", "genres")  # fmt: skip
TYPES = ["tvEpisode", "short", "movie", "video", "tvSeries", "tvMovie", "tvMiniSeries", "tvSpecial",
         "videoGame", "tvShort", "tvPilot"]  # fmt: skip
TYPE_P = [0.718, 0.088, 0.058, 0.028, 0.024, 0.012, 0.005, 0.004, 0.003, 0.001, 0.059]
GENRES = ["Drama", "Comedy", "Talk-Show", "Short", "Documentary", "News", "Romance", "Family", "Reality-TV",
          "Animation", "Crime", "Action", "Adventure", "Music", "Game-Show", "Sport", "Fantasy", "Mystery",
          "Horror", "Thriller", "History", "Sci-Fi", "Biography", "Musical", "War", "Western",
          "Film-Noir"]  # fmt: skip
WORDS = ["the", "of", "and", "a", "love", "night", "day", "man", "girl", "last", "house", "secret", "world",
         "story", "life", "dark", "blue", "city", "road", "king", "dream", "war", "summer", "heart", "home",
         "lost", "time", "return", '"quoted', "L'amour", "Amélie", "東京", "der", "die", "das", "Episode",
         "#1.2", "part", "chapter", "Ночь"]  # fmt: skip
KEEP = ["movie", "tvSeries", "tvMiniSeries", "tvMovie", "tvSpecial", "short", "video"]


def _pick(rng: np.random.Generator, values: list[str], n: int, null_rate: float = 0.0) -> pl.Series:
    import numpy as np
    import polars as pl

    out = pl.Series(values).gather(rng.integers(0, len(values), n))
    if null_rate:
        out = out.scatter(np.flatnonzero(rng.random(n) < null_rate), None)
    return out


def _null_where(mask: np.ndarray, column: str) -> pl.Expr:
    import polars as pl

    return pl.when(pl.lit(pl.Series(mask))).then(None).otherwise(pl.col(column)).alias(column)


def write_title_basics(path: Path, rows: int, *, seed: int = 7, chunk: int = 2_000_000) -> Path:
    """``rows`` lines shaped like title.basics (vectorised: 12M rows in well under a minute)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as out:
        out.write(("\t".join(BASICS_COLUMNS) + "\n").encode())
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            kinds = pl.Series(TYPES).gather(rng.choice(len(TYPES), n, p=TYPE_P))
            words = [_pick(rng, WORDS, n, null_rate=rate) for rate in (0.0, 0.3, 0.5, 0.7)]
            title = pl.select(pl.concat_str(words, separator=" ", ignore_nulls=True)).to_series()
            frame = pl.DataFrame(
                {
                    "tconst": pl.Series(np.arange(start + 1, start + n + 1)).cast(pl.String).str.zfill(7),
                    "titleType": kinds,
                    "primaryTitle": title,
                    "originalTitle": pl.Series(rng.random(n) < 0.9).cast(pl.String),
                    "isAdult": pl.Series(np.where(rng.random(n) < 0.02, "1", "0")),
                    "startYear": pl.Series(rng.integers(1890, 2026, n)).cast(pl.String),
                    "endYear": pl.Series(rng.integers(1950, 2026, n)).cast(pl.String),
                    "runtimeMinutes": pl.Series(rng.integers(1, 240, n)).cast(pl.String),
                    "genres": pl.select(
                        pl.concat_str(
                            [_pick(rng, GENRES, n, rate) for rate in (0.12, 0.5, 0.7)],
                            separator=",",
                            ignore_nulls=True,
                        )
                    ).to_series(),
                }
            ).with_columns(
                ("tt" + pl.col("tconst")).alias("tconst"),
                pl.when(pl.col("originalTitle") == "true").then(pl.col("primaryTitle")).otherwise(
                    pl.concat_str([pl.lit("Original"), pl.col("primaryTitle")], separator=" ")
                ).alias("originalTitle"),
                _null_where(rng.random(n) < 0.12, "startYear"),
                pl.when(pl.col("titleType").is_in(["tvSeries", "tvMiniSeries"])).then(pl.col("endYear"))
                .alias("endYear"),
                _null_where(rng.random(n) < 0.68, "runtimeMinutes"),
                pl.when(pl.col("genres") == "").then(None).otherwise(pl.col("genres")).alias("genres"),
            )  # fmt: skip
            frame.write_csv(out, separator="\t", null_value="\\N", quote_style="never", include_header=False)
    tmp.replace(path)
    return path


def _vm_hwm_mb(pid: int | str = "self") -> float | None:
    """Peak resident set of process ``pid`` (VmHWM), None once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), None)
    return int(line.split()[1]) / 1024 if line else None


def _peak_mb() -> float:
    """This process's own peak RSS; ru_maxrss (which can hold the parent's peak) only without /proc."""
    return _vm_hwm_mb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(contender: str) -> None:
    """Import what ``contender`` needs, before its clock starts."""
    if contender == "wtw":
        from wtw.catalog import imdb  # noqa: F401
    elif contender == "pandas":
        import pandas  # noqa: F401
    else:
        import polars  # noqa: F401


def run_one(contender: str, path: Path) -> dict[str, float]:
    """Read ``path``, keep the watched title types with one contender; return times, rows, peak RSS."""
    started = time.perf_counter()
    _load(contender)
    imported = time.perf_counter()
    if contender == "wtw":
        from wtw.catalog import imdb
        from wtw.catalog.tsv import FileReport

        titles, _ = imdb.read_basics(path, FileReport("title.basics"), types=tuple(KEEP), include_adult=False)
        kept = titles.height
    elif contender == "pandas":
        import pandas as pd

        frame = pd.read_csv(
            path, sep="\t", quoting=csv.QUOTE_NONE, na_values="\\N", keep_default_na=False, dtype=str
        )
        kept = int((frame["titleType"].isin(KEEP) & (frame["isAdult"] != "1")).sum())
    elif contender == "polars-scan":
        import polars as pl

        lazy = pl.scan_csv(path, separator="\t", quote_char=None, null_values="\\N",
                           schema=dict.fromkeys(BASICS_COLUMNS, pl.String))  # fmt: skip
        kept = (
            lazy.filter(pl.col("titleType").is_in(KEEP) & (pl.col("isAdult") != "1"))
            .collect(engine="streaming")
            .height
        )
    else:
        raise SystemExit(f"unknown contender {contender}")
    return {
        "seconds": time.perf_counter() - imported,
        "import_s": imported - started,
        "kept": kept,
        "peak_mb": _peak_mb(),
    }


def _subprocess(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str, float]:
    """Run ``args``; return wall seconds, its output and its own peak RSS (VmHWM polled every 20 ms).

    Only the direct child is watched; a peak in its last 20 ms before exit would be missed.
    """
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, text=True, env=env, cwd=REPO)
        peak = 0.0
        while child.poll() is None:
            peak = max(peak, _vm_hwm_mb(child.pid) or 0.0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        log.seek(0)
        out = log.read()
    if child.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out}")
    return seconds, out, peak


INGEST_RUNS = {
    "all7-head99 (all seven files)": ["--source", "imdb/all7-head99"],
    "famous40": ["--source", "imdb/famous40"],
    "head50k-2025-02 (5 files, 50k rows each)": ["--source", "imdb/head50k-2025-02"],
    "movies-sample2000-2022-10": ["--source", "imdb/movies-sample2000-2022-10"],
    "movies2017 + complete ratings (1M rows)": ["--source", "imdb/movies2017-subset-2018-05",
                                                "--ratings", "imdb/title.ratings.tsv.gz"],
    "famous40 + MovieLens + TMDB + Kaggle + PromptCloud": [
        "--source", "imdb/famous40", "--ratings", "imdb/title.ratings.tsv.gz",
        "--movielens", "movielens/ml-latest-small",
        "--tmdb", "tmdb/kaggle-tmdb-5000/tmdb_5000_movies.csv.gz",
        "--tmdb", "tmdb/kaggle-the-movies-dataset/movies_metadata.csv.gz",
        "--kaggle-imdb5000", "kaggle-imdb5000/movie_metadata.csv.gz",
        "--promptcloud", "promptcloud-imdb1000/IMDB-Movie-Data.csv",
    ],
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="synthetic title.basics rows")
    parser.add_argument("--full", action="store_true", help="12,000,000 rows (IMDb's current size)")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench" / "ingest")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--generate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--skip-staged", action="store_true", help="only the title.basics comparison")
    parser.add_argument("--no-results", action="store_true", help="print only; leave results.md as it is")
    args = parser.parse_args()
    rows = 12_000_000 if args.full else args.rows
    if args.one:
        print(json.dumps(run_one(args.one, args.file)))
        return
    path = args.work / f"title.basics-{rows}.tsv"
    if args.generate:
        write_title_basics(path, rows)
        return
    if not path.is_file():
        seconds, _, _ = _subprocess([sys.executable, __file__, "--generate", "--rows", str(rows),
                                     "--work", str(args.work)])  # fmt: skip
        print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in {seconds:.0f} s")
    print(f"machine: {machine()}")
    megabytes = path.stat().st_size / 1e6
    print(f"title.basics: {rows:,} synthetic rows ({megabytes:,.0f} MB), read + keep the watched types")
    lines = [
        f"### title.basics: {rows:,} synthetic rows ({megabytes:,.0f} MB), read and keep the watched types",
        "",
        "Each contender in its own process on the same file; seconds are the read + filter after imports",
        "(imports timed apart); peak RSS is the process's own (VmHWM). Baseline: `pandas.read_csv`.",
        "",
        "| contender | seconds | imports (s) | peak RSS (MB) | rows kept | speed-up vs pandas |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    results = {}
    for contender in ("wtw", "polars-scan", "pandas"):
        _, out, _ = _subprocess([sys.executable, __file__, "--one", contender, "--file", str(path)])
        results[contender] = r = json.loads(out.strip().splitlines()[-1])
        print(f"  {contender:12s} {r['seconds']:7.2f} s (+{r['import_s']:.2f} s imports)"
              f"  peak {r['peak_mb']:7,.0f} MB  kept {r['kept']:,}")  # fmt: skip
    for contender, r in results.items():
        ratio = results["pandas"]["seconds"] / r["seconds"]
        lines.append(
            f"| {contender} | {r['seconds']:.2f} | {r['import_s']:.2f} | {r['peak_mb']:,.0f} | {r['kept']:,} "
            f"| {ratio:.1f}x |"
        )
    speedup = results["pandas"]["seconds"] / results["wtw"]["seconds"]
    print(f"  wtw reader vs pandas.read_csv: {speedup:.1f}x faster")
    if not args.skip_staged and SHARED.is_dir():
        lines += [
            "",
            "### `wtw ingest` on the staged real files",
            "",
            "Whole command including interpreter start, `--no-publish`; peak RSS is the command's own VmHWM.",
            "",
            "| input | seconds | peak RSS (MB) | summary |",
            "|---|---:|---:|---|",
        ]
        print("wtw ingest on the staged real files (whole command, incl. interpreter start; --no-publish):")
        env = dict(os.environ, WTW_ARTIFACT_ROOT=str(args.work / "artifacts"))
        for label, extra in INGEST_RUNS.items():
            argv = [str(SHARED / a) if "/" in a else a for a in extra]
            seconds, out, peak = _subprocess(
                [str(REPO / ".venv" / "bin" / "wtw"), "ingest", "--no-publish", *argv], env
            )
            summary = next((line for line in out.splitlines() if line.startswith("ingest:")), "")
            print(f"  {label:52s} {seconds:6.1f} s  peak {peak:5,.0f} MB   {summary}")
            lines.append(
                f"| {label} | {seconds:.1f} | {peak:,.0f} | {summary.removeprefix('ingest:').strip()} |"
            )
    if args.no_results:
        print("\n".join(lines))
    else:
        print(f"wrote {write_results(__file__, chr(10).join(lines))}")


if __name__ == "__main__":
    main()
