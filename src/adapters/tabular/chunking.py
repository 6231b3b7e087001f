"""Rows grouped into chunks, so a consumer on an event loop hops to a thread once per chunk."""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from application.imports.ports import NumberedRow

T = TypeVar("T")


def in_chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class EstimatedChunks:
    """The chunks of a table (TableChunks), counting the rows handed out so that `estimate`,
    given that count, can say how many rows the whole table looks like having."""

    def __init__(
        self, chunks: Iterator[list[NumberedRow]], estimate: Callable[[int], int | None]
    ) -> None:
        self._chunks = chunks
        self._estimate = estimate
        self._rows_read = 0
        self._finished = False

    def __iter__(self) -> "EstimatedChunks":
        return self

    def __next__(self) -> list[NumberedRow]:
        try:
            chunk = next(self._chunks)
        except StopIteration:
            self._finished = True
            raise
        self._rows_read += len(chunk)
        return chunk

    def close(self) -> None:
        """Stops reading now: a generator's cleanup runs (a reader's child process ends)."""
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()

    def rows_estimated(self) -> int | None:
        if self._finished:
            return self._rows_read
        return self._estimate(self._rows_read)


def exact_chunks(chunks: Iterator[list[NumberedRow]]) -> EstimatedChunks:
    """Chunks of a table whose size is known only at its end."""
    return EstimatedChunks(chunks, lambda rows_read: None)
