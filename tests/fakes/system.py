"""Fakes of the cross-cutting ports: the clock and readiness probes."""

from datetime import UTC, datetime, timedelta


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
