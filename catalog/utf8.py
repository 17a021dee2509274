"""A byte stream that lets only valid UTF-8 reach Arrow's CSV reader, so one bad byte cannot abort a file.

Arrow stops a whole file at the first invalid UTF-8 value, and its invalid-row handler itself fails on a
ragged row holding one. This stream sits between the (decompressed) file and the reader: it hands over
whole lines in large chunks and checks each chunk with one C-speed ``bytes.decode``; only a chunk that fails
is split into lines, and each bad line is dropped (counted as rejected, with an example) or, for quoted CSV
where a line need not be a row, repaired with U+FFFD.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa
    from _typeshed import WriteableBuffer

    from wtw.catalog.tsv import FileReport

CHUNK_SIZE = 4 << 20


class Utf8Lines(io.RawIOBase):
    """Read ``source`` line-aligned, rejecting (or, with ``repair``, mending) lines that are not UTF-8."""

    def __init__(self, source: pa.NativeFile, report: FileReport, *, repair: bool) -> None:
        super().__init__()
        self._source, self._report, self._repair = source, report, repair
        self._rest = b""
        self._view = memoryview(b"")
        self.repaired = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._view:
            block = self._next_block()
            if block is None:
                return 0
            self._view = memoryview(block)
        out = memoryview(buffer).cast("B")
        size = min(len(out), len(self._view))
        out[:size] = self._view[:size]
        self._view = self._view[size:]
        return size

    def _next_block(self) -> bytes | None:
        """The next run of whole lines (the file's unterminated last line included), checked; None at EOF."""
        while True:
            data = self._source.read(CHUNK_SIZE)
            if not data:
                block, self._rest = self._rest, b""
                return self._checked(block) if block else None
            data = self._rest + data
            cut = data.rfind(b"\n") + 1
            if cut:
                self._rest = data[cut:]
                return self._checked(data[:cut])
            self._rest = data

    def _checked(self, block: bytes) -> bytes:
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            lines = block.split(b"\n")
            last = lines.pop()  # empty unless the file's last line has no newline
            kept = [self._line(line + b"\n") for line in lines]
            return b"".join(kept) + (self._line(last) if last else b"")
        return block

    def _line(self, line: bytes) -> bytes:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("utf-8", "replace")
            if self._repair:
                self.repaired += 1
                return text.encode("utf-8")
            self._report.reject(1, f"invalid UTF-8: {text.rstrip()}")
            return b""
        return line
