"""The child process that runs python-calamine, so a hostile workbook can only kill the child.

Run as `python -m adapters.tabular.calamine_child REQUEST_JSON`. It limits its own memory,
CPU time and core dumps first, then writes framed messages to stdout: an 8-byte big-endian
length followed by a pickled tuple, one of
    ("size", rows)               the sheet's height, first (for progress estimates)
    ("rows", [(row_number, [cell, ...]), ...])
    ("done",)
    ("error", kind, detail)      kind: memory | sheet | empty | invalid
Imports only the standard library and python_calamine: nothing else runs under the limits.
"""

import json
import pickle
import resource
import struct
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

from python_calamine import CalamineWorkbook, WorksheetNotFound


class _EmptySheet(Exception):
    pass


def _limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    # SIGXCPU at the soft limit ends the child; the hard limit is the kernel's backstop.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    # An aborted child must not write a core file as large as its memory.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _send(out: BinaryIO, message: tuple[Any, ...]) -> None:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack(">Q", len(payload)))
    out.write(payload)
    out.flush()


def _sheet_chunks(
    out: BinaryIO, path: str, sheet: str | None, chunk_rows: int
) -> Iterator[list[Any]]:
    with CalamineWorkbook.from_path(path) as workbook:
        found = workbook.get_sheet_by_name(sheet) if sheet else workbook.get_sheet_by_index(0)
        if found.start is None or found.height == 0:
            raise _EmptySheet(found.name)
        _send(out, ("size", found.height))
        first_used_row = found.start[0] + 1
        chunk: list[Any] = []
        # iter_rows starts at row 1 whatever the first used row (checked by a test); the empty
        # rows above the header are left out, and every row keeps its number.
        for row_number, cells in enumerate(found.iter_rows(), start=1):
            if row_number < first_used_row:
                continue
            chunk.append((row_number, cells))
            if len(chunk) == chunk_rows:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _read(out: BinaryIO, request: dict[str, Any]) -> None:
    try:
        for chunk in _sheet_chunks(out, request["path"], request["sheet"], request["chunk_rows"]):
            _send(out, ("rows", chunk))
        _send(out, ("done",))
    except MemoryError:
        _send(out, ("error", "memory", ""))
    except WorksheetNotFound:
        _send(out, ("error", "sheet", request["sheet"]))
    except _EmptySheet as empty:
        _send(out, ("error", "empty", str(empty)))
    except BaseException as error:  # Rust panics arrive as pyo3 PanicException, a BaseException
        if isinstance(error, KeyboardInterrupt | SystemExit):
            raise
        _send(out, ("error", "invalid", f"{type(error).__name__}: {error}"[:500]))


def main() -> None:
    request = json.loads(sys.argv[1])
    _limit_resources(request["memory_bytes"], request["cpu_seconds"])
    _read(sys.stdout.buffer, request)


if __name__ == "__main__":
    main()
