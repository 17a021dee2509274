"""The steps of one nightly run: timed, logged as ``key=value`` lines, shown on a progress bar."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import Progress

from wtw.progress import make_progress

logger = logging.getLogger("wtw.jobs.nightly")

STEPS = (
    "catalog embeddings",
    "read interactions",
    "train + evaluate candidate",
    "baselines",
    "train on all data",
    "preference vectors",
    "publish",
)


class Steps:
    """``done(step)`` ends a step: its seconds are recorded, logged and the bar moves to the next one.

    Steps a run skips (no model to train or publish when the gate refuses) are passed over on the bar.
    """

    def __init__(self, run_id: str, bar: Progress) -> None:
        self.run_id = run_id
        self.timings: dict[str, float] = {}
        self._bar = bar
        self._task = bar.add_task(STEPS[0], total=len(STEPS))
        self._clock = time.perf_counter()

    def done(self, step: str) -> None:
        now = time.perf_counter()
        self.timings[step] = round(now - self._clock, 3)
        self._clock = now
        logger.info("nightly run_id=%s step=%r seconds=%.3f", self.run_id, step, self.timings[step])
        position = STEPS.index(step) + 1
        upcoming = STEPS[position] if position < len(STEPS) else "done"
        self._bar.update(self._task, completed=position, description=upcoming)

    @property
    def current(self) -> str:
        """The step running now: the one after the last done (the first before any)."""
        done = [STEPS.index(step) for step in self.timings]
        position = max(done) + 1 if done else 0
        return STEPS[position] if position < len(STEPS) else "done"

    def finish(self) -> None:
        self._bar.update(self._task, completed=len(STEPS), description="done")


@contextmanager
def run_steps(run_id: str, *, progress: bool = True) -> Iterator[Steps]:
    """A Steps for one run, with its progress bar on the console while the block runs."""
    with make_progress(disable=not progress) as bar:
        steps = Steps(run_id, bar)
        yield steps
        steps.finish()
