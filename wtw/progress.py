"""Rich progress bars and the one-line summary every long CLI step ends with."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

console = Console(stderr=True)


def make_progress(*, transfer: bool = False, disable: bool = False) -> Progress:
    """A progress bar: counts for rows and titles; bytes and speed when ``transfer`` is set."""
    counter = (DownloadColumn(), TransferSpeedColumn()) if transfer else (MofNCompleteColumn(),)
    return Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        *counter,
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
        disable=disable,
    )


@dataclass
class Summary:
    """Counts of one step; printed as a single line when the step ends."""

    step: str
    read: int = 0
    rejected: int = 0
    notes: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    @property
    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def line(self) -> str:
        parts = [f"{self.step}: {self.read:,} read", f"{self.rejected:,} rejected", f"{self.seconds:.1f} s"]
        return ", ".join(parts + self.notes)


@contextmanager
def summarised(step: str) -> Iterator[Summary]:
    """Yield a Summary and print its line when the block ends (also on error, so partial counts are seen)."""
    summary = Summary(step)
    try:
        yield summary
    finally:
        console.print(summary.line())
