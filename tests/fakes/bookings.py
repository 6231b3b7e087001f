"""In-memory fakes of the bookings ports. The repository keeps the database's rule: no two
active bookings overlap on one bed or on one resident (checked at commit, like a constraint)."""

import asyncio
from types import TracebackType
from typing import Self
from uuid import UUID

from domain.bookings.model import Booking
from domain.shared.errors import Conflict


class InMemoryBookingStore:
    """The committed bookings; a unit of work holds `lock` throughout, like a SQLite writer."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Booking] = {}
        self.lock = asyncio.Lock()


def _overlap_conflict(rows: dict[UUID, Booking], booking: Booking) -> Conflict | None:
    if not booking.active:
        return None
    for other in rows.values():
        if other.id == booking.id or not other.active or not other.stay.overlaps(booking.stay):
            continue
        if other.bed_id == booking.bed_id:
            return Conflict(
                "the bed already has an active booking for overlapping dates", field="bed_id"
            )
        if other.resident_id == booking.resident_id:
            return Conflict(
                "the resident already has an active booking for overlapping dates",
                field="resident_id",
            )
    return None


class InMemoryBookingRepository:
    def __init__(self, rows: dict[UUID, Booking]) -> None:
        self._rows = rows

    async def get(self, booking_id: UUID) -> Booking | None:
        return self._rows.get(booking_id)

    async def add(self, booking: Booking) -> None:
        if booking.id in self._rows:
            raise Conflict("id is already taken", field="id")
        self._rows[booking.id] = booking

    async def update(self, booking: Booking) -> None:
        if booking.id in self._rows:
            self._rows[booking.id] = booking


class InMemoryBookingsUnitOfWork:
    def __init__(self, store: InMemoryBookingStore) -> None:
        self._store = store
        self._work: dict[UUID, Booking] = {}

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._work = dict(self._store.rows)
        self.bookings = InMemoryBookingRepository(self._work)
        return self

    async def commit(self) -> None:
        for booking in self._work.values():
            conflict = _overlap_conflict(self._work, booking)
            if conflict is not None:
                raise conflict
        self._store.rows = dict(self._work)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._store.lock.release()
