"""In-memory fakes of the bookings ports. The repository keeps the database's rule: no two
active bookings overlap on one bed or on one resident (checked at commit, like a constraint)."""

import asyncio
from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from application.bookings.views import BookingFilter, BookingPage, BookingView, booking_view
from application.housing.ports import BookingCount
from application.shared.paging import PageRequest
from domain.bookings.allocation import CandidateBed, ResidentFacts
from domain.bookings.closures import BedPlace, Closure, closed_for
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, RoomStatus
from domain.notifications.announcements import ContactDetails
from domain.notifications.model import Notification
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict
from tests.fakes.housing import InMemoryHousingStore
from tests.fakes.notifications import InMemoryNotificationOutbox, InMemoryNotificationStore
from tests.fakes.payments import InMemoryPaymentRepository, PaymentTables


class InMemoryBookingStore:
    """The committed bookings; a unit of work holds `lock` throughout, like a SQLite writer."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Booking] = {}
        # The closures: the allocation facts read them, so they share the store (and its lock).
        self.closures: dict[UUID, Closure] = {}
        self.lock = asyncio.Lock()
        self.payments = PaymentTables()


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

    async def update_from(self, booking: Booking, expected: BookingState) -> bool:
        stored = self._rows.get(booking.id)
        if stored is None or stored.state is not expected:
            return False
        self._rows[booking.id] = booking
        return True

    async def expired_holds(self, now: datetime, limit: int) -> list[Booking]:
        due = [
            b
            for b in self._rows.values()
            if b.state is BookingState.HELD
            and b.hold_expires_at is not None
            and b.hold_expires_at <= now
        ]
        return sorted(due, key=lambda b: (b.hold_expires_at or now, b.id))[:limit]

    async def requested_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        pending = [
            b
            for b in self._rows.values()
            if b.state is BookingState.REQUESTED and b.requested_at < cutoff
        ]
        return [b.id for b in sorted(pending, key=lambda b: (b.requested_at, b.id))[:limit]]

    async def waitlisted_during(self, stay: DateRange, limit: int) -> list[Booking]:
        queue = [
            b
            for b in self._rows.values()
            if b.state is BookingState.WAITLISTED and b.stay.overlaps(stay)
        ]
        return sorted(queue, key=lambda b: (b.waitlisted_at or b.requested_at, b.id))[:limit]


class InMemoryBookingsUnitOfWork:
    """Bookings, and the notifications that tell of their changes, committed together."""

    def __init__(
        self, store: InMemoryBookingStore, notifications: InMemoryNotificationStore | None = None
    ) -> None:
        self._store = store
        self._notifications = notifications or InMemoryNotificationStore()
        self._work: dict[UUID, Booking] = {}
        self._queued: dict[UUID, Notification] = {}

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._work = dict(self._store.rows)
        self._queued = {}
        self.bookings = InMemoryBookingRepository(self._work)
        # Only adds: new notifications join the store at commit, nothing else there is touched.
        self.outbox = InMemoryNotificationOutbox(self._queued)
        self._payments = self._store.payments.copy()
        self.payments = InMemoryPaymentRepository(self._payments, self._work)
        return self

    async def commit(self) -> None:
        for booking in self._work.values():
            conflict = _overlap_conflict(self._work, booking)
            if conflict is not None:
                raise conflict
        self._store.rows = dict(self._work)
        self._store.payments = self._payments.copy()
        self._notifications.rows.update(self._queued)
        self._queued = {}

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._store.lock.release()


def _active_during(booking: Booking, stay: DateRange) -> bool:
    return booking.active and booking.stay.overlaps(stay)


class InMemoryAllocationQueries:
    """The allocation facts from the housing and bookings fakes, by the rules of the SQL one."""

    def __init__(self, housing: InMemoryHousingStore, bookings: InMemoryBookingStore) -> None:
        self._housing = housing
        self._bookings = bookings

    async def resident(self, resident_id: UUID) -> ResidentFacts | None:
        resident = self._housing.tables.residents.get(resident_id)
        return None if resident is None else ResidentFacts.of(resident)

    async def contact(self, resident_id: UUID) -> ContactDetails | None:
        r = self._housing.tables.residents.get(resident_id)
        if r is None:
            return None
        return ContactDetails(
            r.id, r.first_name, r.last_name, r.email, r.phone, r.email_opt_in, r.sms_opt_in
        )

    async def term_dates(self, term_id: UUID) -> DateRange | None:
        term = self._housing.tables.terms.get(term_id)
        return None if term is None else term.dates

    async def bed_exists(self, bed_id: UUID) -> bool:
        return bed_id in self._housing.tables.beds

    async def room_exists(self, room_id: UUID) -> bool:
        return room_id in self._housing.tables.rooms

    async def building_exists(self, building_id: UUID) -> bool:
        return building_id in self._housing.tables.buildings

    async def has_active_booking(self, resident_id: UUID, stay: DateRange) -> bool:
        return any(
            b.resident_id == resident_id and _active_during(b, stay)
            for b in self._bookings.rows.values()
        )

    async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
        tables = self._housing.tables
        taken = {b.bed_id for b in self._bookings.rows.values() if _active_during(b, stay)}
        found = [self._candidate(bed, taken) for bed in tables.beds.values()]
        closures = self._bookings.closures.values()
        free = [
            c
            for c in found
            if c is not None
            and c.bed_id not in taken
            and not closed_for(closures, BedPlace(c.bed_id, c.room_id, c.building_id), stay)
        ]
        codes = {b.id: b.code for b in tables.buildings.values()}
        return sorted(
            free, key=lambda c: (codes[c.building_id], c.room_number, c.bed_label, c.bed_id)
        )

    def _candidate(self, bed: Bed, taken: set[UUID | None]) -> CandidateBed | None:
        tables = self._housing.tables
        room = tables.rooms[bed.room_id]
        building = tables.buildings[room.building_id]
        if not (bed.active and room.status is RoomStatus.ACTIVE and building.active):
            return None
        in_room = [other for other in tables.beds.values() if other.room_id == room.id]
        return CandidateBed(
            bed_id=bed.id,
            room_id=room.id,
            building_id=building.id,
            room_number=room.number,
            bed_label=bed.label,
            room_type=room.type,
            accessible=room.accessible,
            building_gender_policy=building.gender_policy,
            occupied_beds_in_room=sum(1 for other in in_room if other.id in taken),
            room_capacity=sum(1 for other in in_room if other.active),
            floor=room.floor,
        )


class InMemoryBookingQueries:
    def __init__(self, housing: InMemoryHousingStore, bookings: InMemoryBookingStore) -> None:
        self._housing = housing
        self._bookings = bookings

    async def booking(self, booking_id: UUID) -> BookingView | None:
        booking = self._bookings.rows.get(booking_id)
        return None if booking is None else booking_view(booking)

    def _building_of(self, bed_id: UUID | None) -> UUID | None:
        tables = self._housing.tables
        bed = tables.beds.get(bed_id) if bed_id is not None else None
        return None if bed is None else tables.rooms[bed.room_id].building_id

    def _matches(self, booking: Booking, criteria: BookingFilter) -> bool:
        wanted = (
            (criteria.resident_id, booking.resident_id),
            (criteria.term_id, booking.term_id),
            (criteria.state, booking.state),
        )
        if any(value is not None and value != actual for value, actual in wanted):
            return False
        return criteria.building_id is None or (
            self._building_of(booking.bed_id) == criteria.building_id
        )

    async def bookings(self, criteria: BookingFilter, page: PageRequest) -> BookingPage:
        found = [b for b in self._bookings.rows.values() if self._matches(b, criteria)]
        # Newest first, ties by id: the SQL order (UUIDs compare as their bytes there too).
        found.sort(key=lambda b: b.id)
        found.sort(key=lambda b: b.requested_at, reverse=True)
        items = [booking_view(b) for b in found[page.offset : page.offset + page.limit]]
        return BookingPage(items=items, total=len(found), limit=page.limit, offset=page.offset)


class InMemoryBookingRecords:
    """The bookings naming a resident or beds, counted like SqlAlchemyBookingRecords."""

    def __init__(self, bookings: InMemoryBookingStore) -> None:
        self._bookings = bookings

    def _count(self, found: list[Booking]) -> BookingCount:
        return BookingCount(active=sum(1 for b in found if b.active), total=len(found))

    async def for_resident(self, resident_id: UUID) -> BookingCount:
        rows = self._bookings.rows.values()
        return self._count([b for b in rows if b.resident_id == resident_id])

    async def for_beds(self, bed_ids: Sequence[UUID]) -> BookingCount:
        wanted = set(bed_ids)
        return self._count([b for b in self._bookings.rows.values() if b.bed_id in wanted])
