"""The bookings use cases wired to in-memory fakes, with a small campus to book in."""

from dataclasses import replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from application.bookings.allocation import AllocateBooking
from application.bookings.bookings import CancelBooking, GetAvailability, GetBooking, ListBookings
from application.bookings.closures import LiftClosure, ListClosures, PlaceClosure
from application.bookings.commands import RequestBookingCommand
from application.bookings.notices import BookingChanges
from application.bookings.operations import CheckInBooking, CheckOutBooking, MoveBooking
from application.bookings.ports import BookingsUnitOfWork, ClosuresUnitOfWork
from application.bookings.reports import GetOccupancyReport
from application.bookings.requests import RequestBooking
from application.bookings.waitlist import ExpireHolds, OfferBeds, OfferFreedBed
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.payments.checkout import Checkouts
from domain.accounts.model import Principal, Role
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Building, Resident, Room, RoomType, Term
from domain.shared.dates import DateRange
from domain.shared.money import Money
from tests.fakes import (
    FixedClock,
    InMemoryAllocationQueries,
    InMemoryBookingQueries,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
    InMemoryClosureQueries,
    InMemoryClosuresUnitOfWork,
    InMemoryHousingStore,
    InMemoryJobRepository,
    InMemoryNotificationStore,
    InMemoryOccupancyQueries,
    InMemoryPaymentQueries,
    InMemorySandboxGateway,
    RecordingBackgroundTasks,
    RecordingEventBus,
)

HOLD = timedelta(minutes=30)
STAFF = Principal(UUID(int=1), Role.STAFF)
# The fake clock's day is 2026-09-01; stays start later that month.
STAY = {"starts_on": date(2026, 9, 21), "ends_on": date(2026, 12, 19)}


def a_resident_principal(resident_id: UUID) -> Principal:
    return Principal(UUID(int=2), Role.RESIDENT, resident_id)


class Campus:
    """Every bookings use case over one in-memory store, and shortcuts to furnish it."""

    def __init__(self) -> None:
        self.clock = FixedClock()
        self.housing = InMemoryHousingStore(self.clock)
        self.store = InMemoryBookingStore()
        self.facts = InMemoryAllocationQueries(self.housing, self.store)
        self.queries = InMemoryBookingQueries(self.housing, self.store)
        self.job_repository = InMemoryJobRepository()
        self.events = RecordingEventBus()
        self.tasks = RecordingBackgroundTasks()
        self.jobs = JobReporter(self.job_repository, self.events, self.clock)
        self.notifications = InMemoryNotificationStore()
        notifier = Notifier(self.clock, self.tasks, {"login_url": "https://residence.example"})
        self.gateway = InMemorySandboxGateway(self.clock)
        self.checkouts = Checkouts(self.gateway, InMemoryPaymentQueries(self.housing))
        self.changes = BookingChanges(self.uow, self.facts, notifier, self.events, self.checkouts)

        self.request = RequestBooking(self.uow, self.facts, self.jobs, self.tasks, self.clock)
        self.allocate = AllocateBooking(
            self.uow, self.facts, self.jobs, self.changes, self.clock, HOLD
        )
        self.offer = OfferFreedBed(self.uow, self.facts, self.changes, self.clock, HOLD)
        self.expire_holds = ExpireHolds(self.uow, self.changes, self.clock, self.offer)
        self.cancel = CancelBooking(self.uow, self.changes, self.tasks, self.clock)
        self.get = GetBooking(self.queries, self.uow)
        self.list = ListBookings(self.queries)
        self.availability = GetAvailability(self.facts)

        self.closure_queries = InMemoryClosureQueries(self.housing, self.store)
        self.check_in = CheckInBooking(self.uow, self.changes, self.clock)
        self.check_out = CheckOutBooking(self.uow, self.changes, self.tasks, self.clock)
        self.move = MoveBooking(
            self.uow, self.closure_queries, self.changes, self.tasks, self.clock
        )
        self.offer_beds = OfferBeds(self.uow, self.facts, self.changes, self.clock, HOLD)
        self.place_closure = PlaceClosure(
            self.closures_uow, self.closure_queries, self.facts, notifier, self.clock
        )
        self.lift_closure = LiftClosure(self.closures_uow, self.closure_queries, self.tasks)
        self.list_closures = ListClosures(self.closure_queries)
        self.occupancy = GetOccupancyReport(InMemoryOccupancyQueries(self.housing, self.store))

    def uow(self) -> BookingsUnitOfWork:
        return InMemoryBookingsUnitOfWork(self.store, self.notifications)

    def closures_uow(self) -> ClosuresUnitOfWork:
        return InMemoryClosuresUnitOfWork(self.store, self.notifications)

    async def confirmed(self, resident: Resident, **body: Any) -> Booking:
        """A booking allocated and paid, as the payment use case leaves it."""
        held = await self.booked(resident, **body)
        return self.put(held, state=BookingState.CONFIRMED, hold_expires_at=None)

    def emails(self) -> list[tuple[str, str]]:
        """(kind, address) of every notification queued, in the order queued."""
        return [(n.kind, n.recipient_address) for n in self.notifications.rows.values()]

    def building(self, code: str = "NH", **changes: Any) -> Building:
        values: dict[str, Any] = {"code": code, "name": code, "address": "1 Road", "floors": 3}
        building = Building(**(values | changes))
        self.housing.tables.buildings[building.id] = building
        return building

    def room(self, building: Building, number: str = "101", beds: int = 2, **changes: Any) -> Room:
        values: dict[str, Any] = {
            "building_id": building.id,
            "number": number,
            "floor": 1,
            "type": RoomType.DOUBLE,
            "nightly_rate": Money.of("40", "EUR"),
        }
        room = Room(**(values | changes))
        self.housing.tables.rooms[room.id] = room
        for index in range(beds):
            bed = Bed(room_id=room.id, label=chr(ord("A") + index))
            self.housing.tables.beds[bed.id] = bed
        return room

    def beds_of(self, room: Room) -> list[Bed]:
        found = [bed for bed in self.housing.tables.beds.values() if bed.room_id == room.id]
        return sorted(found, key=lambda bed: bed.label)

    def resident(self, student_id: str = "001", **changes: Any) -> Resident:
        values: dict[str, Any] = {
            "student_id": student_id,
            "first_name": "Ada",
            "last_name": "Okafor",
            "email": f"{student_id}@example.edu",
        }
        resident = Resident(**(values | changes))
        self.housing.tables.residents[resident.id] = resident
        return resident

    def term(self, start: date = date(2026, 9, 21), nights: int = 89) -> Term:
        term = Term(name=f"Term {start}", dates=DateRange(start, start + timedelta(days=nights)))
        self.housing.tables.terms[term.id] = term
        return term

    async def requested(self, resident: Resident, **body: Any) -> UUID:
        """A stored request by the office, not yet allocated; returns the booking id."""
        command = RequestBookingCommand(resident_id=resident.id, **(STAY | body))
        return (await self.request(STAFF, command)).id

    async def booked(self, resident: Resident, **body: Any) -> Booking:
        """A request by the office, allocated."""
        return await self.allocate(await self.requested(resident, **body))

    def stored(self, booking_id: UUID) -> Booking:
        return self.store.rows[booking_id]

    def put(self, booking: Booking, **changes: Any) -> Booking:
        changed = replace(booking, **changes)
        self.store.rows[changed.id] = changed
        return changed
