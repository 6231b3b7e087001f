"""Fakes of the cross-cutting ports: the clock, readiness probes and idempotency keys."""

from datetime import UTC, datetime, timedelta

import msgspec

from application.shared.idempotency import IdempotencyRecord, StoredResponse
from application.system.figures import StoredFigures


class FixedClock:
    """A clock that only moves when a test moves it."""

    def __init__(self, now: datetime | None = None) -> None:
        self._now = now or datetime(2026, 9, 1, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class StaticProbe:
    """A dependency that is up, or down with a fixed reason."""

    def __init__(self, name: str, failure: str | None = None) -> None:
        self.name = name
        self.failure = failure

    async def check(self) -> None:
        if self.failure is not None:
            raise ConnectionError(self.failure)


class FixedFigureStore:
    """Operational figures a test sets."""

    def __init__(self) -> None:
        self.figures = StoredFigures(jobs=[], outbox_backlog=0, outbox_failed=0, booking_holds=0)

    async def read(self) -> StoredFigures:
        return self.figures


class FixedQueueGauge:
    def __init__(self, depth: int | None = None) -> None:
        self.queue_depth = depth

    async def depth(self) -> int | None:
        return self.queue_depth


class InMemoryIdempotencyStore:
    """Keys in a dict, by the rules of the SQL store."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], IdempotencyRecord] = {}
        self.recorded_at: dict[tuple[str, str], datetime] = {}

    async def claim(
        self, scope: str, key: str, fingerprint: str, now: datetime, stale_before: datetime
    ) -> IdempotencyRecord | None:
        found = self.records.get((scope, key))
        if found is not None and (found.response is not None or found.claimed_at >= stale_before):
            return found
        self.records[(scope, key)] = IdempotencyRecord(fingerprint=fingerprint, claimed_at=now)
        self.recorded_at.setdefault((scope, key), now)
        return None

    async def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        found = self.records.get((scope, key))
        if found is not None:
            self.records[(scope, key)] = msgspec.structs.replace(found, response=response)

    async def release(self, scope: str, key: str) -> None:
        found = self.records.get((scope, key))
        if found is not None and found.response is None:
            del self.records[(scope, key)]
            del self.recorded_at[(scope, key)]

    async def purge(self, before: datetime, limit: int) -> int:
        due = [
            scoped
            for scoped, recorded_at in sorted(self.recorded_at.items(), key=lambda item: item[1])
            if recorded_at < before and self.records[scoped].claimed_at < before
        ][:limit]
        for scoped in due:
            del self.records[scoped]
            del self.recorded_at[scoped]
        return len(due)
