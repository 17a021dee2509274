"""Scale simulation: a synthetic catalog of 100k (default) or 1M (``--full``) titles through the pipeline.

    .venv/bin/python benchmarks/scale/bench_scale.py          # 100k titles (~3 min)
    nice .venv/bin/python benchmarks/scale/bench_scale.py --full   # 1M titles (~20 min, ~6 GB of RAM)

Steps, each its own process so that its peak memory (VmHWM) is its own:

1. **ingest** — `wtw ingest` on a synthetic IMDb folder: title.basics shaped like IMDb's (type mix, null
   rates, field lengths; see benchmarks/ingest) with enough rows that the kept types make the target size,
   and a title.ratings for most of them. No people files, so documents are shorter than real ones.
2. **embed** — not 1M documents on 2 cores: the ONNX int8 encoder embeds a sample of the catalog's own
   documents and a sample of the demo catalog's real documents (longer, with people and overviews); the
   full-catalog time is extrapolated from the slower rate. The published vectors are the sample's vectors
   tiled with Gaussian noise (clustered like real ones, unlike uniform random), one per title.
3. **index** — `wtw index build` with HNSW (what the size rule picks above `index.flat_max`, 200k): time,
   peak memory, the recall@10 it measured, the index file's size; then an exact (flat) build of the same
   vectors, the baseline for serving.
4. **serve** — `wtw serve` (1 worker, fresh SQLite) on each build: start-up time, resident memory, then
   latency at one connection for title lookups, uncached similar titles, uncached searches and the feed of a
   user with 25 ratings. Baselines, same run: the exact build (every query scores every title) and the demo
   catalog (10k titles).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
for area in ("", "api", "ingest", "embed"):
    sys.path.insert(0, str(REPO / "benchmarks" / area))
from bench_api import API, _free_port, cold_searches, make_user, serve, server_memory_mb  # noqa: E402
from bench_embed import onnx_export  # noqa: E402
from bench_ingest import KEEP, TYPE_P, TYPES, _subprocess, write_title_basics  # noqa: E402
from common import write_results  # noqa: E402

NOISE = 0.5
"""Norm of the Gaussian noise on each tiled copy of a sampled vector (cosine to its source ≈ 0.9)."""
KEPT_SHARE = sum(p for t, p in zip(TYPES, TYPE_P, strict=True) if t in KEEP) * 0.98  # 2 % adult
SAMPLE = 2_000


def _env(root: Path, scratch: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WTW_")}
    return env | {
        "WTW_ARTIFACT_ROOT": str(root),
        "WTW_DATA_DIR": str(scratch / "data"),
        "WTW_CACHE_DIR": str(scratch / "cache"),
        "WTW_LOG_LEVEL": "WARNING",
    }


def write_imdb(folder: Path, titles: int) -> int:
    """title.basics with about ``titles`` kept rows, and title.ratings for 70 % of all rows; returns rows."""
    import polars as pl

    rows = int(titles / KEPT_SHARE)
    write_title_basics(folder / "title.basics.tsv", rows)
    rng = np.random.default_rng(11)
    rated = np.sort(rng.choice(np.arange(1, rows + 1), int(rows * 0.7), replace=False))
    pl.DataFrame(
        {
            "tconst": "tt" + pl.Series(rated).cast(pl.String).str.zfill(7),
            "averageRating": np.round(np.clip(rng.normal(6.8, 1.2, rated.size), 1, 10), 1),
            "numVotes": np.maximum(5, rng.lognormal(4.0, 2.0, rated.size)).astype(np.int64),
        }
    ).write_csv(folder / "title.ratings.tsv", separator="\t", quote_style="never")
    return rows


def embed_sample(root: Path, work: Path, demo_root: Path, onnx_dir: Path) -> dict[str, float]:
    """ONNX int8 titles/s on samples of the synthetic and the demo documents; publishes the tiled vectors."""
    import polars as pl

    from wtw.embeddings.onnx_int8 import OnnxEncoder
    from wtw.store import ArtifactStore

    store = ArtifactStore.open(str(root), cache_dir=work / "store-cache")
    catalog = store.fetch("catalog")
    docs = pl.read_parquet(catalog.file("catalog.parquet"), columns=["tconst", "document", "doc_hash"])
    demo = ArtifactStore.open(str(demo_root), cache_dir=work / "demo-cache").fetch("catalog")
    real = pl.read_parquet(demo.file("catalog.parquet"), columns=["document"]).sample(SAMPLE, seed=1)
    path, _ = onnx_export(onnx_dir)
    encoder = OnnxEncoder(path, threads=len(os.sched_getaffinity(0)))
    encoder.encode(real["document"].head(64).to_list(), progress=False)  # warm-up
    sample = docs.sample(SAMPLE, seed=2)["document"].to_list()
    rates = {}
    for name, texts in (("synthetic", sample), ("demo (real)", real["document"].to_list())):
        started = time.perf_counter()
        vectors = encoder.encode(texts, progress=False)
        rates[name] = len(texts) / (time.perf_counter() - started)
        if name == "synthetic":
            base = vectors
    rng = np.random.default_rng(3)
    tiled = base[rng.integers(0, len(base), docs.height)]
    tiled += rng.normal(0, NOISE / np.sqrt(tiled.shape[1]), tiled.shape).astype(np.float32)
    tiled /= np.linalg.norm(tiled, axis=1, keepdims=True)
    out = work / "vectors"
    out.mkdir()
    np.save(out / "vectors.npy", tiled.astype(np.float32))
    (out / "tconsts.txt").write_text("\n".join(docs["tconst"].to_list()) + "\n")
    (out / "doc_hashes.txt").write_text("\n".join(docs["doc_hash"].to_list()) + "\n")
    store.publish(
        "vectors",
        {name: out / name for name in ("vectors.npy", "tconsts.txt", "doc_hashes.txt")},
        {
            "model_id": encoder.model_id,
            "dim": encoder.dim,
            "count": docs.height,
            "metric": "ip",
            "normalized": True,
            "catalog_version": catalog.version,
            "backend": "onnx",
            "precision": "int8",
            "engine": "bench-scale (sample tiled with noise)",
        },
    )
    return {**rates, "titles": docs.height, "doc_chars": float(docs["document"].str.len_chars().mean())}


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def measure_serving(root: Path, scratch: Path, requests: int) -> dict[str, object]:
    """Start-up, memory and one-connection latency of the service on the artifacts under ``root``."""
    import polars as pl

    from wtw.store import ArtifactStore

    store = ArtifactStore.open(str(root), cache_dir=scratch / "store-cache")
    catalog = pl.read_parquet(
        store.fetch("catalog").file("catalog.parquet"), columns=["tconst", "title", "votes"]
    )
    popular = catalog.sort("votes", descending=True, nulls_last=True)["tconst"].to_list()
    started = time.perf_counter()
    with serve(root, _free_port(), 1, scratch) as (base, pid):
        startup = time.perf_counter() - started
        memory_ready = server_memory_mb(pid)[0]
        headers = make_user(base, popular)
        rng = random.Random(9)
        names = catalog.sample(200, seed=4)["title"].to_list()
        paths = {
            "title": [f"{API}/titles/{t}" for t in rng.sample(popular, requests)],
            "similar (uncached)": [
                f"{API}/titles/{t}/similar?limit=10" for t in rng.sample(popular, requests)
            ],
            "search (uncached)": [f"{API}/search?q={q}&limit=10" for q in cold_searches(requests, names)],
            "feed": [f"{API}/me/feed?limit=20"] * requests,
        }
        latency: dict[str, dict[str, float]] = {}
        with httpx.Client(base_url=base, timeout=60) as client:
            for name, todo in paths.items():
                auth = headers if name == "feed" else {}
                client.get(todo[0], headers=auth)  # warm-up (imports, first allocation)
                times, errors = [], 0
                for path in todo:
                    t0 = time.perf_counter()
                    errors += client.get(path, headers=auth).status_code != 200
                    times.append((time.perf_counter() - t0) * 1000)
                latency[name] = {
                    "p50": _percentile(times, 50),
                    "p99": _percentile(times, 99),
                    "mean": statistics.fmean(times),
                    "errors": errors,
                }
        rss, hwm = server_memory_mb(pid)
    return {
        "startup_s": startup,
        "rss_ready_mb": memory_ready,
        "rss_mb": rss,
        "hwm_mb": hwm,
        "latency": latency,
    }


def run_cli(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """`wtw <args>` in its own process: (seconds, peak RSS MB, output)."""
    wtw = str(Path(sys.executable).with_name("wtw"))
    return _subprocess([wtw, *args], env=env)


def report(rows: int, steps: dict[str, tuple[float, float]], embed: dict, index: dict, run: dict) -> str:
    """The results table; ``run`` holds the serving measurements at scale and on the demo."""
    serving, demo = run["scale"], run["demo"]
    titles = int(embed["titles"])
    slowest = min(embed["synthetic"], embed["demo (real)"])
    lines = [
        f"### Synthetic catalog: {titles:,} titles (from {rows:,} title.basics rows) through ingest → embed "
        "→ index → serve",
        "",
        "| step | seconds | peak RSS (MB) | note |",
        "|---|---:|---:|---|",
        f"| generate the IMDb files | {steps['generate'][0]:.0f} | — | title.basics + title.ratings |",
        f"| `wtw ingest` | {steps['ingest'][0]:.1f} | {steps['ingest'][1]:,.0f} | catalog + documents |",
        f"| embed (ONNX int8, measured on {SAMPLE:,}-document samples) | {titles / slowest:,.0f} "
        f"(extrapolated) | — | synthetic docs {embed['synthetic']:,.0f} titles/s "
        f"(mean {embed['doc_chars']:.0f} chars), real demo docs {embed['demo (real)']:,.0f} titles/s; "
        "extrapolated at the slower rate |",
        f"| `wtw index build` | {steps['index'][0]:.1f} | {steps['index'][1]:,.0f} | {index['kind']}, "
        f"recall@10 {index['recall']} vs exact, file {index['mb']:,.0f} MB |",
        f"| `wtw serve` start-up to ready | {serving['startup_s']:.1f} | {serving['hwm_mb']:,.0f} | resident "
        f"{serving['rss_ready_mb']:,.0f} MB when ready, {serving['rss_mb']:,.0f} MB after the requests |",
        "",
        "Latency at one connection (ms), sequential requests, on the ANN path (each query scores the index's "
        "shortlist) and on the same vectors behind an exact (flat) index, where each query scores every "
        f"title; baseline: the demo catalog ({demo['titles']:,} titles), same code, same run:",
        "",
        "| request | p50 ANN | p99 ANN | p50 exact scan | p99 exact scan | p50 demo | p99 demo | errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, ann in serving["latency"].items():
        flat, base = run["exact"]["latency"][name], demo["serving"]["latency"][name]
        errors = ann["errors"] + flat["errors"] + base["errors"]
        lines.append(
            f"| {name} | {ann['p50']:.1f} | {ann['p99']:.1f} | {flat['p50']:.1f} | {flat['p99']:.1f} | "
            f"{base['p50']:.1f} | {base['p99']:.1f} | {errors} |"
        )
    lines += [
        "",
        f"Servers' resident memory after the requests: ANN {serving['rss_mb']:,.0f} MB, exact "
        f"{run['exact']['rss_mb']:,.0f} MB, demo {demo['serving']['rss_mb']:,.0f} MB; start-up "
        f"{serving['startup_s']:.1f} / {run['exact']['startup_s']:.1f} / "
        f"{demo['serving']['startup_s']:.1f} s.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1,000,000 titles")
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per request kind")
    parser.add_argument("--work", type=Path, default=REPO / "var" / "bench" / "scale")
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args()
    size = 1_000_000 if args.full else args.titles

    from wtw.config import get_settings

    demo_root = Path(get_settings().artifact_root).resolve()
    if not (demo_root / "index" / "LATEST").is_file():
        raise SystemExit(f"no demo index under {demo_root}: run `wtw build --demo` (make demo) first")
    args.work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wtw-bench-scale-", dir=args.work) as tmp:
        work = Path(tmp)
        root, imdb = work / "artifacts", work / "imdb"
        env = _env(root, work)
        steps: dict[str, tuple[float, float]] = {}
        started = time.perf_counter()
        rows = write_imdb(imdb, size)
        steps["generate"] = (time.perf_counter() - started, 0.0)
        print(f"generated {rows:,} title.basics rows in {steps['generate'][0]:.0f} s", flush=True)
        seconds, out, peak = run_cli(["ingest", "--source", str(imdb)], env)
        steps["ingest"] = (seconds, peak)
        print(f"ingest {seconds:.1f} s, peak {peak:,.0f} MB: {out.strip().splitlines()[-1]}", flush=True)
        embed = embed_sample(root, work, demo_root, args.work)
        print(f"embed sample: {json.dumps(embed)}", flush=True)
        seconds, out, peak = run_cli(["index", "build"], env | {"WTW_INDEX__KIND": "hnsw"})
        steps["index"] = (seconds, peak)
        from wtw.store import ArtifactStore

        manifest = ArtifactStore.open(str(root), cache_dir=work / "store-cache").fetch("index").manifest
        index = {
            "kind": f"{manifest['index_kind']} {json.dumps(manifest['index_params'])}",
            "recall": manifest.get("recall_at_10"),
            "mb": sum(f["size"] for f in manifest["files"].values()) / 1e6,
        }
        print(f"index {seconds:.1f} s, peak {peak:,.0f} MB: {index}", flush=True)
        serving = measure_serving(root, work / "serve-scale", args.requests)
        print(f"serving at scale: {json.dumps(serving)}", flush=True)
        run_cli(["index", "build"], env | {"WTW_INDEX__KIND": "flat"})  # the same vectors, exact index
        exact = measure_serving(root, work / "serve-exact", args.requests)
        print(f"serving at scale, exact scans: {json.dumps(exact)}", flush=True)
        demo = {"titles": 0, "serving": measure_serving(demo_root, work / "serve-demo", args.requests)}
        demo["titles"] = int(
            ArtifactStore.open(str(demo_root), cache_dir=work / "c").fetch("index").manifest["count"]
        )
        print(f"serving the demo: {json.dumps(demo)}", flush=True)
    body = report(rows, steps, embed, index, {"scale": serving, "exact": exact, "demo": demo})
    print(body)
    if not args.no_results:
        print(f"wrote {write_results(__file__, body)}")


if __name__ == "__main__":
    main()
