"""What the bookings use cases need from the outside world."""

from collections.abc import Callable
from typing import Protocol
from uuid import UUID

from application.shared.ports import UnitOfWork
from domain.bookings.model import Booking


class BookingRepository(Protocol):
    """Bookings inside a unit of work. `add` and `update` of an active booking that overlaps
    another active one on its bed or its resident fail at commit at the latest, as a Conflict
    naming `bed_id` or `resident_id`: the store itself keeps that rule."""

    async def get(self, booking_id: UUID) -> Booking | None: ...
    async def add(self, booking: Booking) -> None: ...
    async def update(self, booking: Booking) -> None: ...


class BookingsUnitOfWork(UnitOfWork, Protocol):
    @property
    def bookings(self) -> BookingRepository: ...


BookingsUnitOfWorkFactory = Callable[[], BookingsUnitOfWork]
