"""Download resume and gzip verification against a local HTTP server (loopback only)."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from wtw.catalog.download import download_file, download_imdb
from wtw.catalog.tsv import IMDB_FILES
from wtw.errors import InputError


class _Server:
    """Serves ``files``; the first GET of a name in ``cut_once`` stops after half the bytes."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.cut_once: set[str] = set()
        self.ranges: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                name = self.path.lstrip("/")
                if name not in server.files:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = server.files[name]
                header = self.headers.get("Range")
                server.ranges.append(header)
                start = int(header.split("=")[1].rstrip("-")) if header else 0
                if start >= len(data) and header:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = data[start:]
                self.send_response(206 if header else 200)
                if header:
                    self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if name in server.cut_once:
                    server.cut_once.discard(name)
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.httpd.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    thread.join(5)


def _gz(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


def test_interrupted_download_resumes_with_range(server: _Server, tmp_path: Path) -> None:
    payload = _gz("tconst\tx\n" + "".join(f"tt{i:07d}\t{i}\n" for i in range(20_000)))
    server.files["title.ratings.tsv.gz"] = payload
    server.cut_once.add("title.ratings.tsv.gz")
    dest = download_file(
        server.url + "title.ratings.tsv.gz", tmp_path / "title.ratings.tsv.gz", progress=False
    )
    assert dest.read_bytes() == payload
    assert server.ranges[0] is None and server.ranges[1] == f"bytes={len(payload) // 2}-"
    assert not (tmp_path / "title.ratings.tsv.gz.part").exists()


def test_leftover_part_file_is_resumed(server: _Server, tmp_path: Path) -> None:
    payload = _gz("tconst\n" + "tt0000001\n" * 5000)
    server.files["f.tsv.gz"] = payload
    (tmp_path / "f.tsv.gz.part").write_bytes(payload[:100])
    download_file(server.url + "f.tsv.gz", tmp_path / "f.tsv.gz", progress=False)
    assert server.ranges == ["bytes=100-"]
    assert (tmp_path / "f.tsv.gz").read_bytes() == payload


def test_corrupt_gzip_is_discarded_never_renamed(server: _Server, tmp_path: Path) -> None:
    payload = bytearray(_gz("tconst\n" + "tt0000001\n" * 5000))
    payload[len(payload) // 2] ^= 0xFF
    server.files["bad.tsv.gz"] = bytes(payload)
    with pytest.raises(InputError, match="not a complete gzip"):
        download_file(server.url + "bad.tsv.gz", tmp_path / "bad.tsv.gz", progress=False)
    assert not (tmp_path / "bad.tsv.gz").exists() and not (tmp_path / "bad.tsv.gz.part").exists()


def test_download_imdb_skips_missing_optional_files(server: _Server, tmp_path: Path) -> None:
    header = "\t".join(IMDB_FILES["title.basics"])
    server.files["title.basics.tsv.gz"] = _gz(header + "\ntt0000001\tmovie\tA\tA\t0\t1999\t\\N\t90\tDrama\n")
    got = download_imdb(server.url, tmp_path, progress=False)
    assert [p.name for p in got] == ["title.basics.tsv.gz"]
    again = download_imdb(server.url, tmp_path, progress=False)  # already there: not fetched again
    assert again == got and len(server.ranges) == 1


def test_missing_title_basics_is_an_error(server: _Server, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"title\.basics"):
        download_imdb(server.url, tmp_path, progress=False)
