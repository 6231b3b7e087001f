"""Operational figures: what an operator graphs and alerts on (the metrics endpoint renders
them). Read at each scrape from the shared stores, so every API process reports the same
campus-wide numbers whichever one the scraper reaches."""

from typing import Protocol

from application.shared.structs import View


class JobCount(View):
    kind: str
    state: str
    count: int


class StoredFigures(View):
    jobs: list[JobCount]
    # Notifications waiting for the relay (queued, or being sent), and those given up on.
    outbox_backlog: int
    outbox_failed: int
    booking_holds: int


class OperationalFigures(StoredFigures, kw_only=True):
    # Task messages not yet taken or not yet acknowledged; None when the broker cannot tell.
    queue_depth: int | None


class FigureStore(Protocol):
    async def read(self) -> StoredFigures: ...


class QueueGauge(Protocol):
    async def depth(self) -> int | None: ...


class ReadOperationalFigures:
    """The job counts by kind and state, the outbox backlog, the bookings on hold and the task
    queue's depth."""

    def __init__(self, store: FigureStore, queue: QueueGauge) -> None:
        self._store = store
        self._queue = queue

    async def __call__(self) -> OperationalFigures:
        stored = await self._store.read()
        return OperationalFigures(
            jobs=stored.jobs,
            outbox_backlog=stored.outbox_backlog,
            outbox_failed=stored.outbox_failed,
            booking_holds=stored.booking_holds,
            queue_depth=await self._queue.depth(),
        )
