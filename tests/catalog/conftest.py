"""Fixtures of the catalog tests: small IMDb-format folders written on the fly."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from wtw.catalog.tsv import IMDB_FILES

WriteImdb = Callable[..., Path]


def write_imdb_file(directory: Path, name: str, lines: list[str], *, gz: bool = False) -> Path:
    """Write ``name``'s header and ``lines`` (already tab-joined) as IMDb would: LF, UTF-8, no quoting."""
    directory.mkdir(parents=True, exist_ok=True)
    text = "\t".join(IMDB_FILES[name]) + "\n" + "".join(line + "\n" for line in lines)
    path = directory / (f"{name}.tsv.gz" if gz else f"{name}.tsv")
    if gz:
        path.write_bytes(gzip.compress(text.encode("utf-8")))
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def write_imdb(tmp_path: Path) -> WriteImdb:
    """``write_imdb(name, lines, gz=False)`` → path of an IMDb-format file under ``tmp_path / "imdb"``."""

    def write(name: str, lines: list[str], *, gz: bool = False) -> Path:
        return write_imdb_file(tmp_path / "imdb", name, lines, gz=gz)

    return write


def row(*fields: str) -> str:
    return "\t".join(fields)
