"""What the bookings use cases need from the outside world."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from application.bookings.views import (
    BookingFilter,
    BookingPage,
    BookingView,
    ClosureFilter,
    ClosurePage,
    ClosureView,
)
from application.notifications.ports import NotificationOutbox
from application.payments.ports import PaymentRepository
from application.shared.paging import PageRequest
from application.shared.ports import UnitOfWork
from domain.bookings.allocation import CandidateBed, ResidentFacts
from domain.bookings.closures import BedPlace, BookedBed, Closure, ClosureTarget
from domain.bookings.model import Booking, BookingState
from domain.bookings.occupancy import OccupancyCount
from domain.notifications.announcements import ContactDetails
from domain.shared.dates import DateRange


class BookingRepository(Protocol):
    """Bookings inside a unit of work. `add` and `update` of an active booking that overlaps
    another active one on its bed or its resident fail at commit at the latest, as a Conflict
    naming `bed_id` or `resident_id`: the store itself keeps that rule."""

    async def get(self, booking_id: UUID) -> Booking | None: ...
    async def add(self, booking: Booking) -> None: ...
    async def update(self, booking: Booking) -> None: ...

    async def update_from(self, booking: Booking, expected: BookingState) -> bool:
        """Stores the booking only if the stored one is still in state `expected`; False, and
        nothing stored, when another transaction moved it meanwhile. One write and no read, so
        two workers racing on one booking cannot both apply their step."""
        ...

    async def expired_holds(self, now: datetime, limit: int) -> list[Booking]:
        """Held bookings whose deadline is at or before `now`, the earliest deadline first."""
        ...

    async def requested_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        """Bookings still `requested` that were requested before `cutoff`, the oldest first."""
        ...

    async def waitlisted_during(self, stay: DateRange, limit: int) -> list[Booking]:
        """Waitlisted bookings whose stay overlaps `stay`, in queue order: `waitlisted_at`,
        then id."""
        ...


class BookingsUnitOfWork(UnitOfWork, Protocol):
    @property
    def bookings(self) -> BookingRepository: ...

    # The residents' emails about their bookings commit with the change they tell of.
    @property
    def outbox(self) -> NotificationOutbox: ...

    # A payment commits with the booking step it causes (a hold's checkout, a confirmation).
    @property
    def payments(self) -> PaymentRepository: ...


BookingsUnitOfWorkFactory = Callable[[], BookingsUnitOfWork]


class AllocationQueries(Protocol):
    """The housing and bookings facts a request is checked against and a bed is chosen from,
    read from committed data (each call its own short read, never inside a unit of work)."""

    async def resident(self, resident_id: UUID) -> ResidentFacts | None: ...
    async def contact(self, resident_id: UUID) -> ContactDetails | None: ...
    async def term_dates(self, term_id: UUID) -> DateRange | None: ...
    async def bed_exists(self, bed_id: UUID) -> bool: ...
    async def room_exists(self, room_id: UUID) -> bool: ...
    async def building_exists(self, building_id: UUID) -> bool: ...

    async def has_active_booking(self, resident_id: UUID, stay: DateRange) -> bool:
        """Whether the resident has a held, confirmed or checked-in booking overlapping `stay`."""
        ...

    async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
        """Active beds of active rooms in active buildings with no active booking and no
        closure (of the bed, its room or its building) overlapping `stay`, each with the count
        of its room's beds that are taken for part of the stay; ordered by building, room
        number and bed label."""
        ...


class BookingQueries(Protocol):
    async def booking(self, booking_id: UUID) -> BookingView | None: ...

    async def bookings(self, criteria: BookingFilter, page: PageRequest) -> BookingPage:
        """The newest request first (ties by id)."""
        ...


class ClosureRepository(Protocol):
    async def get(self, closure_id: UUID) -> Closure | None: ...
    async def add(self, closure: Closure) -> None: ...
    async def delete(self, closure_id: UUID) -> None: ...


class ClosuresUnitOfWork(UnitOfWork, Protocol):
    @property
    def closures(self) -> ClosureRepository: ...

    # The residents a forced closure meets are emailed in the closure's own transaction.
    @property
    def outbox(self) -> NotificationOutbox: ...


ClosuresUnitOfWorkFactory = Callable[[], ClosuresUnitOfWork]


class ClosureQueries(Protocol):
    """Closures and the beds they cover, read from committed data."""

    async def bed_place(self, bed_id: UUID) -> BedPlace | None: ...
    async def target_exists(self, target: ClosureTarget, target_id: UUID) -> bool: ...

    async def covered_beds(self, target: ClosureTarget, target_id: UUID) -> list[UUID]:
        """Every bed of the target, in service or not."""
        ...

    async def booked_beds(
        self, target: ClosureTarget, target_id: UUID, dates: DateRange
    ) -> list[BookedBed]:
        """The active bookings on the target's beds whose stay overlaps `dates`."""
        ...

    async def bed_closed(self, bed_id: UUID, stay: DateRange) -> bool:
        """Whether a closure of the bed, its room or its building overlaps `stay`."""
        ...

    async def closure(self, closure_id: UUID) -> ClosureView | None: ...

    async def closures(self, criteria: ClosureFilter, page: PageRequest) -> ClosurePage:
        """The latest start first (ties by id)."""
        ...


class OccupancyQueries(Protocol):
    async def occupancy(self, on: date) -> list[OccupancyCount]:
        """Per building in use and room type with beds in service; see domain.bookings.occupancy
        for what each count means."""
        ...
