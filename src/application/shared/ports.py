"""Ports every context may use."""

from datetime import datetime
from types import TracebackType
from typing import Protocol, Self


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...


class UnitOfWork(Protocol):
    """One transaction. Leaving the `async with` block without `commit()` rolls everything back."""

    async def commit(self) -> None: ...

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class BackgroundTasks(Protocol):
    """Starts work in a worker after the current request or task has committed."""

    async def enqueue(self, task_name: str, **arguments: object) -> None: ...
