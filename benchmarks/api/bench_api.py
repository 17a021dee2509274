"""API benchmark: `wtw serve` on the demo catalog under closed-loop load from a second process on loopback.

    .venv/bin/python benchmarks/api/bench_api.py           # concurrency 1, 8, 32; 5 s per point (~3 min)
    .venv/bin/python benchmarks/api/bench_api.py --full    # concurrency 1, 4, 16, 64, 128; 15 s per point

Needs a built index (`wtw build --demo`) under the configured artifact root (WTW_ARTIFACT_ROOT, default
var/artifacts); the server gets a fresh SQLite database of its own. The load generator is `wrk` when it is on
PATH (C, one thread: little CPU taken from the server) and an asyncio httpx client otherwise. Scenarios:

- ``healthz`` — the framework floor (the baseline): routing, middleware, JSON, nothing else.
- ``title`` — catalog lookup, ``GET /api/v1/titles/{id}`` over popular titles.
- ``similar`` — ``/titles/{id}/similar`` over the 500 most-voted titles (steady state: results are cached
  per title, limit and filter). ``similar-cold`` never repeats a (title, limit), so nothing is cached.
- ``search`` — a fixed set of realistic queries (titles, typos, "like X but Y", "by <person>", constraints),
  repeated as real traffic repeats itself (results are cached per query, limit and filter); ``search-cold``
  never repeats a query, so every request parses, encodes with the sentence encoder and ranks.
- ``feed`` — ``/me/feed?limit=20`` for a user with 25 ratings and some likes and dislikes (never cached).
  ``feed-heavy``: the same for a user who imported an IMDb export of 2,000 ratings (a long-time rater).

Only the feeds send a token: similar titles for a signed-in user with dislikes take the personal (uncached)
path.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from common import write_results  # noqa: E402

HERE = Path(__file__).resolve().parent
API = "/api/v1"

# Goals of issue 5 (2-core machine): throughput req/s, p50 and p99 in ms; None where no goal is set.
GOALS = {
    "similar": (1500.0, None, 20.0),
    "search": (300.0, None, 50.0),
    "feed": (None, 10.0, 50.0),
}

HEAVY_RATINGS = 2_000

SEARCHES = [
    "the godfather",
    "godfather part 2",
    "amelie",
    "the matrx",
    "interstellar",
    "pulp fiction",
    "breaking bad",
    "something like Alien but funny",
    "like Toy Story but for adults",
    "movies like inception",
    "like the dark knight but less violent",
    "by Christopher Nolan",
    "directed by quentin tarantino",
    "with tom hanks",
    "starring meryl streep",
    "scifi from the 90s",
    "horror movies under 90 minutes",
    "romantic comedy from the 2000s",
    "crime series",
    "miniseries about history",
    "animated films for kids",
    "a heist movie with a twist ending",
    "feel good movies",
    "space exploration documentary",
    "dark psychological thriller",
    "courtroom drama",
    "war movies from the 60s",
    "funny detective show",
    "coming of age story set in the 80s",
    "like Spirited Away",
]
COLD_MOODS = ["dark", "funny", "quiet", "tense", "sad", "weird", "gentle", "violent", "hopeful", "slow",
              "clever", "epic", "cozy", "bleak", "absurd"]  # fmt: skip
COLD_SUBJECTS = ["heist", "road trip", "space station", "courtroom", "boxing", "cooking", "chess", "vampires",
                 "robots", "high school", "small town", "submarine", "hackers", "wedding", "haunted house",
                 "jazz", "mountain climbing", "time loop", "detectives", "pirates"]  # fmt: skip
COLD_SETTINGS = ["", "in paris", "set in japan", "in the desert", "on a train", "in new york", "at sea",
                 "in a prison", "during a war", "in the future", "in the 19th century"]  # fmt: skip
COLD_ERAS = ["", "from the 70s", "from the 80s", "from the 90s", "recent", "under 2 hours", "series"]


@dataclass
class Point:
    scenario: str
    concurrency: int
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- the server ---


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(artifact_root: Path, port: int, workers: int, scratch: Path) -> Iterator[tuple[str, int]]:
    """`wtw serve` in its own process with a fresh SQLite database; yields (base URL, pid) once ready."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WTW_")}
    env |= {
        "WTW_ARTIFACT_ROOT": str(artifact_root),
        "WTW_DATA_DIR": str(scratch / "data"),
        "WTW_CACHE_DIR": str(scratch / "cache"),
        "WTW_DATABASE_URL": f"sqlite:///{scratch / 'bench.db'}",
        "WTW_SERVICE__ARTIFACT_POLL_SECONDS": "0",
        "WTW_SERVICE__UI_DIST": str(scratch / "no-ui"),
        "WTW_SERVICE__LOGIN_ATTEMPTS_PER_MINUTE": "1000",
        "WTW_LOG_LEVEL": "WARNING",
    }
    wtw = Path(sys.executable).with_name("wtw")
    command = [str(wtw), "serve", "--port", str(port), "--workers", str(workers)]
    log = (scratch / "server.log").open("w")
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=scratch)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"wtw serve exited:\n{(scratch / 'server.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("wtw serve did not become ready in 300 s")
            time.sleep(0.5)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def server_memory_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) MB of the server and its worker processes, from /proc."""

    def tree(p: int) -> list[int]:
        children: list[int] = []
        for task in Path(f"/proc/{p}/task").glob("*"):
            children += [int(c) for c in (task / "children").read_text().split()]
        return [p, *(q for c in children for q in tree(c))]

    rss = hwm = 0.0
    for p in tree(pid):
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                kb = float(value.split()[0]) / 1024
                rss, hwm = (rss + kb, hwm) if key == "VmRSS" else (rss, hwm + kb)
    return rss, hwm


# --- the workload ---


def popular_tconsts() -> list[str]:
    """Catalog titles of the served index, most-voted first (what people open most)."""
    from wtw.catalog import read_catalog
    from wtw.config import get_settings
    from wtw.store import open_store

    store = open_store(get_settings())
    index = store.fetch("index")
    catalog = read_catalog(
        store.fetch("catalog", index.manifest.get("catalog_version")).file("catalog.parquet")
    )
    return catalog.sort("votes", descending=True, nulls_last=True)["tconst"].to_list()


def make_user(base: str, tconsts: list[str]) -> dict[str, str]:
    """A user with 25 ratings, 3 likes and 2 dislikes; returns the Authorization header."""
    with httpx.Client(base_url=base + API, timeout=30) as c:
        c.post("/auth/register", json={"username": "bench", "password": "bench-password"})
        token = c.post("/auth/token", data={"username": "bench", "password": "bench-password"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        rng = random.Random(5)
        for tconst in rng.sample(tconsts[:400], 25):
            c.put(f"/me/ratings/{tconst}", json={"rating": rng.randint(3, 10)}, headers=headers)
        for tconst, kind in zip(tconsts[400:405], ["like"] * 3 + ["dislike"] * 2, strict=True):
            c.post("/me/feedback", json={"tconst": tconst, "kind": kind}, headers=headers)
    return headers


def make_heavy_user(base: str, tconsts: list[str], ratings: int = HEAVY_RATINGS) -> dict[str, str]:
    """A user who imported an IMDb "Your Ratings" export of ``ratings`` titles; the Authorization header."""
    rng = random.Random(11)
    lines = ["Const,Your Rating,Date Rated"]
    for i, tconst in enumerate(rng.sample(tconsts, min(ratings, len(tconsts)))):
        lines.append(f"{tconst},{rng.randint(1, 10)},20{10 + i % 15:02d}-{1 + i % 12:02d}-{1 + i % 28:02d}")
    with httpx.Client(base_url=base + API, timeout=60) as c:
        c.post("/auth/register", json={"username": "bench-heavy", "password": "bench-password"})
        token = c.post("/auth/token", data={"username": "bench-heavy", "password": "bench-password"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        files = {"file": ("ratings.csv", "\n".join(lines).encode(), "text/csv")}
        c.post("/me/imports", files=files, headers=headers).raise_for_status()
    return headers


def cold_searches(n: int, titles: list[str]) -> list[str]:
    """Up to ``n`` distinct queries a user could type, none of them in SEARCHES (so nothing is cached)."""
    described = [
        " ".join(p for p in parts if p)
        for parts in itertools.product(COLD_MOODS, COLD_SUBJECTS, COLD_SETTINGS, COLD_ERAS)
    ]
    anchored = [f"like {t} but {mood}" for t in titles for mood in COLD_MOODS]
    queries = described + anchored
    random.Random(7).shuffle(queries)
    return queries[:n]


def scenarios(base: str, tconsts: list[str], cold: int) -> dict[str, list[str]]:
    """Scenario → the request paths to cycle through."""
    rng = random.Random(3)
    with httpx.Client(base_url=base, timeout=30) as c:
        names = [c.get(f"{API}/titles/{t}").json()["title"] for t in tconsts[:60]]
    everything = tconsts[:]
    rng.shuffle(everything)
    return {
        "healthz": ["/healthz"],
        "title": [f"{API}/titles/{t}" for t in tconsts[:2000]],
        "similar": [f"{API}/titles/{t}/similar?limit=10" for t in tconsts[:500]],
        "similar-cold": [  # results are cached per (title, limit, filter): every key asked once
            f"{API}/titles/{t}/similar?limit={limit}" for limit in (10, 11, 12, 9) for t in everything
        ][:cold],
        "search": [f"{API}/search?q={quote(q)}&limit=10" for q in SEARCHES],
        "search-cold": [f"{API}/search?q={quote(q)}&limit=10" for q in cold_searches(cold, names)],
        "feed": [f"{API}/me/feed?limit=20"],
        "feed-heavy": [f"{API}/me/feed?limit=20"],
    }


# --- load generators ---

WRK_SCRIPT = """
paths = {%(paths)s}
local n = #paths
local i = 0
if %(auth)s ~= "" then wrk.headers["Authorization"] = %(auth)s end
request = function()
  i = i + 1
  return wrk.format("GET", paths[((i - 1) %% n) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests": %%d, "us": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def run_wrk(base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float) -> dict:
    lua = WRK_SCRIPT % {
        "paths": ",".join(json.dumps(p) for p in paths),
        "auth": json.dumps(headers.get("Authorization", "")),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{concurrency}",
                f"-d{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "-s",
                fh.name,
                base,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    data = json.loads(out.strip().splitlines()[-1])
    return {
        "requests": data["requests"],
        "seconds": data["us"] / 1e6,
        "p50": data["p50"] / 1e3,
        "p90": data["p90"] / 1e3,
        "p99": data["p99"] / 1e3,
        "errors": data["errors"],
    }


async def _httpx_load(
    base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float
) -> dict:
    latencies: list[float] = []
    errors = 0
    counter = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:
        started = time.perf_counter()
        stop = started + seconds

        async def worker() -> None:
            nonlocal errors, counter
            while time.perf_counter() < stop:
                path = paths[counter % len(paths)]
                counter += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    errors += r.status_code >= 400
                except httpx.HTTPError:
                    errors += 1
                latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    p50, p90, p99 = np.percentile(np.array(latencies) * 1e3, [50, 90, 99]) if latencies else (0, 0, 0)
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "p50": p50,
        "p90": p90,
        "p99": p99,
        "errors": errors,
    }


def run_httpx(base: str, paths: list[str], headers: dict[str, str], concurrency: int, seconds: float) -> dict:
    return asyncio.run(_httpx_load(base, paths, headers, concurrency, seconds))


# --- report ---


def _verdict(p: Point) -> str:
    goal = GOALS.get(p.scenario)
    if goal is None:
        return ""
    rps, p50, p99 = goal
    ok = (
        (rps is None or p.rps >= rps)
        and (p50 is None or p.p50_ms <= p50)
        and (p99 is None or p.p99_ms <= p99)
    )
    return "✅" if ok else "❌"


def _goal_text(name: str) -> str:
    goal = GOALS.get(name)
    if goal is None:
        return ""
    rps, p50, p99 = goal
    parts = [
        f"≥ {rps:,.0f} req/s" if rps else "",
        f"p50 ≤ {p50:.0f} ms" if p50 else "",
        f"p99 ≤ {p99:.0f} ms",
    ]
    return ", ".join(p for p in parts if p)


def report(
    points: list[Point],
    *,
    generator: str,
    workers: int,
    titles: int,
    seconds: float,
    memory: tuple[float, float],
) -> str:
    floor = {p.concurrency: p for p in points if p.scenario == "healthz"}
    lines = [
        f"`wtw serve` ({workers} uvicorn worker{'s' if workers > 1 else ''}, SQLite) on the demo catalog "
        f"({titles:,} titles); load from `{generator}` on loopback, closed loop, {seconds:.0f} s per point. "
        "Baseline: `GET /healthz`, the framework floor, in the same run; *vs floor* is throughput relative "
        "to it at the same concurrency. Server memory after the run (all processes): "
        f"{memory[0]:,.0f} MB resident, {memory[1]:,.0f} MB peak.",
        "",
        "### Project vs baseline",
        "",
        "| scenario | concurrency | req/s | vs floor | p50 ms | p90 ms | p99 ms | errors | goal | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|:-:|",
    ]
    for p in points:
        base = floor.get(p.concurrency)
        ratio = f"{p.rps / base.rps:.2f}×" if base and base.rps else ""
        lines.append(
            f"| {p.scenario} | {p.concurrency} | {p.rps:,.0f} | {ratio} | {p.p50_ms:.1f} | {p.p90_ms:.1f} | "
            f"{p.p99_ms:.1f} | {p.errors} | {_goal_text(p.scenario)} | {_verdict(p)} |"
        )
    lines += ["", "![latency percentiles and throughput vs concurrency](latency.png)", ""]
    return "\n".join(lines)


def plot(points: list[Point], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(p.scenario for p in points))
    fig, (ax_lat, ax_rps) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=90)
    for i, name in enumerate(names):
        pts = [p for p in points if p.scenario == name]
        c = [p.concurrency for p in pts]
        color = f"C{i}"
        ax_lat.plot(c, [p.p50_ms for p in pts], "-o", color=color, ms=3, label=f"{name} p50")
        ax_lat.plot(c, [p.p99_ms for p in pts], "--", color=color, lw=1)
        ax_rps.plot(c, [p.rps for p in pts], "-o", color=color, ms=3, label=name)
    for ax in (ax_lat, ax_rps):
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("concurrent connections")
        ax.grid(True, which="both", alpha=0.3)
    ax_lat.set_ylabel("latency ms (solid p50, dashed p99)")
    ax_rps.set_ylabel("requests / s")
    ax_rps.legend(fontsize=7, loc="best")
    fig.suptitle("wtw serve on the demo catalog: latency percentiles and throughput vs load", fontsize=9)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="More concurrency levels, 15 s per point.")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes.")
    parser.add_argument("--client", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--seconds", type=float, help="Per point (default 5, --full 15).")
    parser.add_argument("--only", nargs="*", help="Scenarios to run (default: all).")
    parser.add_argument("--no-write", action="store_true", help="Print the table; leave results.md alone.")
    args = parser.parse_args()

    from wtw.config import get_settings

    artifact_root = Path(get_settings().artifact_root).resolve()
    if not (artifact_root / "index" / "LATEST").is_file():
        raise SystemExit(f"no index under {artifact_root}: build one with `wtw build --demo` first")
    generator = "wrk" if args.client == "wrk" or (args.client == "auto" and shutil.which("wrk")) else "httpx"
    load = run_wrk if generator == "wrk" else run_httpx
    levels = [1, 4, 16, 64, 128] if args.full else [1, 8, 32]
    seconds = args.seconds or (15.0 if args.full else 5.0)
    tconsts = popular_tconsts()

    points: list[Point] = []
    with (
        tempfile.TemporaryDirectory(prefix="wtw-bench-api-") as tmp,
        serve(artifact_root, _free_port(), args.workers, Path(tmp)) as (base, pid),
    ):
        tokens = {"feed": make_user(base, tconsts), "feed-heavy": make_heavy_user(base, tconsts)}
        work = scenarios(base, tconsts, cold=40_000 if args.full else 12_000)
        cold_offset = {"similar-cold": 0, "search-cold": 0}
        for name, paths in work.items():
            if args.only and name not in args.only:
                continue
            auth = tokens.get(name, {})  # the other routes are called anonymously
            if name in ("search", "feed", "feed-heavy", "similar"):  # warm the caches a real server has warm
                load(base, paths, auth, 4, 3.0)
            for concurrency in levels:
                todo = paths
                if name in cold_offset:  # every point starts on queries no earlier point asked
                    todo = paths[cold_offset[name] :] or paths
                r = load(base, todo, auth, concurrency, seconds)
                if name in cold_offset:
                    cold_offset[name] += r["requests"]
                point = Point(name, concurrency, r["requests"], r["seconds"], r["p50"], r["p90"], r["p99"],
                              r["errors"])  # fmt: skip
                points.append(point)
                print(
                    f"{name:>13} c={concurrency:<4} {point.rps:8,.0f} req/s  p50 {point.p50_ms:6.1f} ms  "
                    f"p99 {point.p99_ms:6.1f} ms  errors {point.errors}",
                    flush=True,
                )
        memory = server_memory_mb(pid)
    body = report(
        points,
        generator=generator,
        workers=args.workers,
        titles=len(tconsts),
        seconds=seconds,
        memory=memory,
    )
    if args.no_write:
        print(body)
        return
    plot(points, HERE / "latency.png")
    print(f"wrote {write_results(__file__, body)}")


if __name__ == "__main__":
    main()
