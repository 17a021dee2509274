"""Logging setup: Rich on a terminal, one line per record elsewhere."""

from __future__ import annotations

import logging
import sys


def configure_logging(level: str = "INFO") -> None:
    """Configure the root logger once for CLI commands and the service."""
    root = logging.getLogger()
    if getattr(root, "_wtw_configured", False):
        root.setLevel(level)
        return
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        handler: logging.Handler = RichHandler(rich_tracebacks=False, show_path=False)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    root._wtw_configured = True  # type: ignore[attr-defined]
