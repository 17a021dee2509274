"""What every benchmark script shares: a description of the machine and writing its results.md fragment."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from pathlib import Path


def machine() -> str:
    """CPU model, core counts, load average and Python version: enough to read a number in context."""
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    python = platform.python_version()
    return f"{os.cpu_count()} CPUs ({usable} usable), {cpu}, load average {load}, Python {python}"


def write_results(script: str, body: str) -> Path:
    """Write ``benchmarks/<area>/results.md`` beside ``script`` (``results-full.md`` for a ``--full`` run, so
    both sizes stay on record): command, machine and date, then ``body``."""
    path = Path(script)
    command = " ".join([".venv/bin/python", f"benchmarks/{path.parent.name}/{path.name}", *sys.argv[1:]])
    header = (
        f"Command: `{command}`  \n"
        f"Machine: {machine()}  \n"
        f"Date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC\n\n"
    )
    out = path.with_name("results-full.md" if "--full" in sys.argv[1:] else "results.md")
    out.write_text(header + body.strip() + "\n", encoding="utf-8")
    return out
