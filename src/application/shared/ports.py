"""Ports every context may use."""

from collections.abc import Mapping
from datetime import datetime
from types import TracebackType
from typing import Any, Protocol, Self


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


class EventBus(Protocol):
    """Pushes an event to whoever follows `topic` over the real-time stream, in any process.

    Events tell clients that something changed; the change itself is already committed and
    readable over HTTP. Delivery is therefore best effort: an adapter logs a transport failure
    rather than raising, so a broken event stream never fails the work that published."""

    async def publish(self, topic: str, event: Mapping[str, Any]) -> None:
        """`event` must be JSON-able: strings, numbers, booleans, None, lists and dicts."""
        ...
