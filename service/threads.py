"""Native thread pools (BLAS, OpenMP, torch) held to one thread in the serving process.

A worker serves many requests at once, so parallelism inside one request only oversubscribes the cores.
Measured on the 2-core machines under load: the 10k × 384 matrix-vector product of a search took 24 ms with
OpenBLAS's two threads and 2.6 ms with one; one query encoding took 670 ms with torch's two threads and 42 ms
with one. Scale with `wtw serve --workers` instead.
"""

from __future__ import annotations

import importlib.util
import logging

logger = logging.getLogger(__name__)


def limit_native_threads(threads: int = 1) -> None:
    """Limit the BLAS/OpenMP libraries loaded so far and torch's intra-op pool to ``threads``."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        logger.warning(
            "threadpoolctl is not installed: BLAS keeps its own thread pool (set OPENBLAS_NUM_THREADS)"
        )
    else:
        threadpool_limits(limits=threads)
    if importlib.util.find_spec("torch") is not None:
        import torch

        torch.set_num_threads(threads)
