"""Workbooks (xlsx, xlsm, xlsb, xls, ods) read with python-calamine, in a guarded child process.

python-calamine is fast but can abort the whole process on hostile input (a sheet claiming a
billion cells, a decompression bomb): a Rust allocation failure is not an exception. So a ZIP
pre-scan refuses obvious bombs, and parsing runs in a child process under memory and CPU
limits that streams rows back in chunks. Whatever the file does, the caller gets rows or an
UnreadableFile with a clear reason, and its own process lives on.
"""

import io
import json
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import adapters
from adapters.tabular.chunking import EstimatedChunks
from adapters.tabular.detect import detect_file_type
from adapters.tabular.zip_guard import ZipLimits, list_entries
from application.imports.ports import NumberedRow
from domain.imports.errors import UnreadableFile

_GIB = 1024**3
_ZIP_FORMATS = frozenset({"xlsx", "xlsm", "xlsb", "ods"})
# The only classes a chunk may contain besides builtins; anything else in the stream means the
# child was subverted, and unpickling it could run code in this process.
_CELL_CLASSES = frozenset({"date", "datetime", "time", "timedelta", "timezone"})
_SOURCE_ROOT = str(Path(adapters.__file__).resolve().parent.parent)


@dataclass(frozen=True, slots=True)
class ParseLimits:
    memory_bytes: int = 2 * _GIB
    cpu_seconds: int = 300
    # Time spent waiting for the child; time the consumer spends on rows does not count.
    wait_seconds: float = 300.0


class _CellUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _CELL_CLASSES:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the reader process")


class _ChildTimedOut(Exception):
    pass


def _read_exact(stream: BinaryIO, size: int, deadline: float) -> bytes:
    """`size` bytes, or fewer at end of stream; raises _ChildTimedOut past `deadline`."""
    parts: list[bytes] = []
    remaining = size
    while remaining:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([stream], [], [], wait)[0]:
            raise _ChildTimedOut
        part = os.read(stream.fileno(), min(remaining, 1 << 20))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


def _receive(stream: BinaryIO, deadline: float) -> tuple[Any, ...] | None:
    """The next message, or None when the child closed its output (it died or finished)."""
    header = _read_exact(stream, 8, deadline)
    if len(header) < 8:
        return None
    (size,) = struct.unpack(">Q", header)
    payload = _read_exact(stream, size, deadline)
    if len(payload) < size:
        return None
    message = _CellUnpickler(io.BytesIO(payload)).load()
    return message if isinstance(message, tuple) and message else None


@dataclass(slots=True)
class _SheetSize:
    """The height the child reports before the rows: the table's rows, header included."""

    rows: int | None = None

    def estimate(self, rows_read: int) -> int | None:
        return None if self.rows is None else max(rows_read, self.rows)


class CalamineSheetReader:
    """SheetReader for workbooks. `limits` bound the child process that parses them."""

    def __init__(
        self, limits: ParseLimits | None = None, zip_limits: ZipLimits | None = None
    ) -> None:
        self._limits = limits or ParseLimits()
        self._zip_limits = zip_limits or ZipLimits()

    def file_type(self, path: Path) -> str:
        return detect_file_type(path, self._zip_limits).format or "unknown"

    def rows(self, path: Path, sheet: str | None = None) -> Iterator[NumberedRow]:
        for chunk in self.chunks(path, sheet):
            yield from chunk

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> EstimatedChunks:
        """Header first. Raises UnreadableFile when the pre-scan or the child refuses the file,
        or when the child dies, runs out of memory or out of time."""
        size = _SheetSize()
        return EstimatedChunks(self._chunks(path, sheet, chunk_rows, size), size.estimate)

    def _chunks(
        self, path: Path, sheet: str | None, chunk_rows: int, size: _SheetSize
    ) -> Iterator[list[NumberedRow]]:
        file_format = self.file_type(path)
        if file_format in _ZIP_FORMATS:
            list_entries(path, self._zip_limits)
        request = {
            "path": str(path),
            "sheet": sheet,
            "chunk_rows": chunk_rows,
            "memory_bytes": self._limits.memory_bytes,
            "cpu_seconds": self._limits.cpu_seconds,
        }
        with tempfile.TemporaryFile() as child_errors:
            yield from self._child_chunks(request, file_format, child_errors, size)

    def _child_chunks(
        self,
        request: dict[str, Any],
        file_format: str,
        child_errors: BinaryIO,
        size: _SheetSize,
    ) -> Iterator[list[NumberedRow]]:
        # A backtrace would bury the one line that says why the child stopped.
        environment = {**os.environ, "RUST_BACKTRACE": "0"}
        environment["PYTHONPATH"] = os.pathsep.join(
            filter(None, [_SOURCE_ROOT, environment.get("PYTHONPATH")])
        )
        command = [sys.executable, "-m", "adapters.tabular.calamine_child", json.dumps(request)]
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=child_errors,
            env=environment,
        )
        assert child.stdout is not None
        try:
            messages = self._messages(child, child.stdout, request, file_format, child_errors)
            for message in messages:
                if message[0] == "size":
                    size.rows = int(message[1])
                else:
                    yield message[1]
        finally:
            if child.poll() is None:
                child.kill()
            child.wait()
            child.stdout.close()

    def _messages(
        self,
        child: "subprocess.Popen[bytes]",
        stream: BinaryIO,
        request: dict[str, Any],
        file_format: str,
        child_errors: BinaryIO,
    ) -> Iterator[tuple[Any, ...]]:
        """("size", rows) and ("rows", chunk) messages until the child is done."""
        waited = 0.0
        while True:
            started = time.monotonic()
            try:
                message = _receive(stream, started + self._limits.wait_seconds - waited)
            except _ChildTimedOut:
                child.kill()
                raise self._timed_out() from None
            waited += time.monotonic() - started
            if message is None:
                raise self._died(child, child_errors)
            if message[0] in ("rows", "size"):
                yield message
            elif message[0] == "done":
                return
            else:
                raise self._refused(message, request, file_format)

    def _timed_out(self) -> UnreadableFile:
        seconds = self._limits.wait_seconds
        return UnreadableFile(
            f"the spreadsheet could not be read: it took longer than {seconds:g} s"
        )

    def _memory_error(self) -> UnreadableFile:
        limit = self._limits.memory_bytes / _GIB
        return UnreadableFile(
            f"the spreadsheet could not be read: it needs more than {limit:g} GiB of memory "
            "(does a sheet claim millions of empty cells?)"
        )

    def _refused(
        self, message: tuple[Any, ...], request: dict[str, Any], file_format: str
    ) -> UnreadableFile:
        kind, detail = message[1], message[2]
        if kind == "memory":
            return self._memory_error()
        if kind == "sheet":
            return UnreadableFile(f"the workbook has no sheet named {request['sheet']!r}")
        if kind == "empty":
            return UnreadableFile(f"the sheet {detail!r} is empty: it has no header row")
        return UnreadableFile(
            f"the spreadsheet could not be read: it is not a valid {file_format} file ({detail})"
        )

    def _died(self, child: "subprocess.Popen[bytes]", child_errors: BinaryIO) -> UnreadableFile:
        code = child.wait()
        child_errors.seek(0)
        errors = child_errors.read(64 * 1024).decode("utf-8", "replace")
        if code == -signal.SIGXCPU:
            seconds = self._limits.cpu_seconds
            return UnreadableFile(
                f"the spreadsheet could not be read: it took longer than {seconds} s"
            )
        if "memory allocation" in errors or "MemoryError" in errors or code == -signal.SIGKILL:
            return self._memory_error()
        return UnreadableFile(
            f"the spreadsheet could not be read: the reader stopped on this file (exit {code}); "
            "it is probably damaged"
        )
