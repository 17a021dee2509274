"""Download IMDb's dumps: resumable (HTTP Range), verified (whole gzip stream), written as ``.part`` first.

An interrupted transfer leaves ``<name>.part``; the next attempt asks only for the missing bytes. A file
gets its final name only after its size matches the server's and its gzip stream decompresses to the end
with a correct CRC, so ingest never reads a truncated dump.
"""

from __future__ import annotations

import gzip
import logging
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import httpx

from wtw.catalog.tsv import IMDB_FILES
from wtw.errors import InputError, UnavailableError
from wtw.progress import make_progress

logger = logging.getLogger(__name__)

CHUNK = 1 << 20
ATTEMPTS = 4


def check_gzip(path: Path) -> None:
    """Read the whole gzip stream (CRC and length are checked at its end); raise InputError when corrupt."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(CHUNK):
                pass
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(
            f"{path.name} is not a complete gzip file ({exc}); it was discarded, run again"
        ) from exc


def _fetch(
    client: httpx.Client, url: str, part: Path, on_bytes: Callable[[int, int | None], None]
) -> int | None:
    """Append the rest of ``url`` to ``part`` (Range from its current size); return the full size if known."""
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    with client.stream("GET", url, headers=headers) as response:
        if response.status_code == 416 and have:
            return have  # already complete; the gzip check decides
        if response.status_code == 404:
            raise FileNotFoundError(url)
        response.raise_for_status()
        if response.status_code == 200 and have:
            have = 0  # the server ignored Range: start over
        total = None
        if response.status_code == 206:
            content_range = response.headers.get("content-range", "")
            if "/" in content_range and content_range.rsplit("/", 1)[1].isdigit():
                total = int(content_range.rsplit("/", 1)[1])
        elif (length := response.headers.get("content-length")) is not None:
            total = int(length)
        on_bytes(have, total)
        with part.open("ab" if have else "wb") as out:
            for chunk in response.iter_raw():
                out.write(chunk)
                on_bytes(len(chunk), None)
    return total


def download_file(url: str, dest: Path, *, client: httpx.Client | None = None, progress: bool = True) -> Path:
    """Download ``url`` to ``dest`` with resume and retries; ``dest`` appears only once complete and verified.

    Raises:
        FileNotFoundError: the server answers 404.
        UnavailableError: the transfer keeps failing after retries.
        InputError: the downloaded file is not a complete gzip stream (the partial file is removed).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    own_client = client is None
    http = client or httpx.Client(timeout=httpx.Timeout(30.0, read=120.0), follow_redirects=True)
    try:
        with make_progress(transfer=True, disable=not progress) as bar:
            task = bar.add_task(dest.name, total=None)

            def on_bytes(count: int, total: int | None) -> None:
                if total is not None:
                    bar.update(task, total=total, completed=count)
                else:
                    bar.advance(task, count)

            total = None
            for attempt in range(1, ATTEMPTS + 1):
                try:
                    total = _fetch(http, url, part, on_bytes)
                    break
                except (httpx.TransportError, httpx.RemoteProtocolError) as exc:
                    logger.warning("%s: attempt %d failed (%s); resuming", dest.name, attempt, exc)
                    if attempt == ATTEMPTS:
                        raise UnavailableError(f"download of {url} failed {ATTEMPTS} times: {exc}") from exc
                    time.sleep(min(2.0**attempt, 10.0) / 10)
                except httpx.HTTPStatusError as exc:
                    raise UnavailableError(f"{url}: HTTP {exc.response.status_code}") from exc
    finally:
        if own_client:
            http.close()
    size = part.stat().st_size
    if total is not None and size != total:
        part.unlink(missing_ok=True)
        raise InputError(
            f"{dest.name}: got {size:,} bytes, the server announced {total:,}; discarded, run again"
        )
    if dest.name.endswith(".gz"):
        try:
            check_gzip(part)
        except InputError:
            part.unlink(missing_ok=True)
            raise
    part.replace(dest)
    return dest


def download_imdb(base_url: str, data_dir: Path, *, progress: bool = True) -> list[Path]:
    """Fetch the seven IMDb datasets (``<name>.tsv.gz``) into ``data_dir``; files already there are kept.

    A missing optional file is logged and skipped; a missing title.basics raises InputError.
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    fetched = []
    with httpx.Client(timeout=httpx.Timeout(30.0, read=120.0), follow_redirects=True) as client:
        for name in IMDB_FILES:
            dest = data_dir / f"{name}.tsv.gz"
            if dest.is_file():
                fetched.append(dest)
                continue
            try:
                fetched.append(download_file(base + dest.name, dest, client=client, progress=progress))
            except FileNotFoundError as exc:
                if name == "title.basics":
                    raise InputError(
                        f"{base}{dest.name} not found (404): is WTW_IMDB_BASE_URL right?"
                    ) from exc
                logger.warning("%s%s not found; ingest goes on without it", base, dest.name)
    return fetched
