"""Any sequence of bookings steps, on the fakes, SQLite and PostgreSQL, keeps the promise of
issue 6: no bed and no resident ever has two active bookings for overlapping nights, and no
step fails but with the refusals the rules name.

A hypothesis state machine drives the real use cases: book (request and allocate), pay (the
domain's confirm stored the way the payment use case stores it), cancel, let holds expire,
move, check in and check out, with the freed beds offered to the waitlist as the worker would.

Hypothesis runs rules synchronously, so each machine drives its own event loop and its own
engine on the session's migrated database; examples share that database, so each builds its
own campus with fresh names and books only there (requests prefer its building)."""

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, ClassVar, TypeVar
from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.engine import create_engine
from application.bookings.allocation import AllocateBooking
from application.bookings.bookings import CancelBooking
from application.bookings.commands import (
    CancelBookingCommand,
    CheckInBookingCommand,
    CheckOutBookingCommand,
    MoveBookingCommand,
    PreferencesInput,
    RequestBookingCommand,
)
from application.bookings.notices import BookingChanges
from application.bookings.operations import CheckInBooking, CheckOutBooking, MoveBooking
from application.bookings.requests import RequestBooking
from application.bookings.views import BookingFilter, BookingView
from application.bookings.waitlist import ExpireHolds, OfferBeds, OfferFreedBed
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from domain.bookings import rules
from domain.bookings.errors import IllegalTransition, SameBed, TooLateToCancel
from domain.bookings.model import ACTIVE_STATES, BookingState
from domain.housing.model import Bed, RoomType
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict
from tests.fakes import FixedClock, InMemoryJobRepository, RecordingBackgroundTasks
from tests.fakes.jobs import RecordingEventBus
from tests.integration.bookings_backends import BookingsBackend, memory_bookings, sql_bookings
from tests.integration.housing_backends import ALL_BACKENDS, a_building, a_resident, a_room, saved

STAFF = Principal(UUID(int=1), Role.STAFF)
HOLD = timedelta(minutes=30)
# Overlapping and back-to-back stays, all after the fake clock's first day (2026-09-01).
STAYS = [
    DateRange(date(2026, 9, 21), date(2026, 12, 19)),
    DateRange(date(2026, 12, 19), date(2027, 3, 1)),
    DateRange(date(2026, 11, 1), date(2027, 1, 15)),
]
RESIDENTS = 4
BEDS = 3
T = TypeVar("T")


@dataclass
class Campus:
    """One example's building (a double room and a single), residents and use cases."""

    backend: BookingsBackend
    clock: FixedClock = field(default_factory=FixedClock)
    residents: list[UUID] = field(default_factory=list)
    beds: list[UUID] = field(default_factory=list)
    building_id: UUID = field(default_factory=uuid4)
    room_id: UUID = field(default_factory=uuid4)

    async def build(self) -> None:
        hall = a_building(uuid4().hex[:8].upper())
        double, single = a_room(hall, "101", type=RoomType.DOUBLE), a_room(hall, "102")
        beds = [Bed(room_id=double.id, label="A"), Bed(room_id=double.id, label="B")]
        beds.append(Bed(room_id=single.id, label="A"))
        people = [a_resident(uuid4().hex[:12]) for _ in range(RESIDENTS)]
        await saved(self.backend.housing, hall, double, single, *beds, *people)
        self.residents = [person.id for person in people]
        self.beds = [bed.id for bed in beds]
        self.building_id, self.room_id = hall.id, double.id
        self._wire()

    def _wire(self) -> None:
        tasks, events = RecordingBackgroundTasks(), RecordingEventBus()
        jobs = JobReporter(InMemoryJobRepository(), events, self.clock)
        facts, uow, clock = self.backend.facts, self.backend.uow, self.clock
        notifier = Notifier(clock, tasks, {"login_url": "https://residence.example"})
        self.changes = BookingChanges(uow, facts, notifier, events, self.backend.checkouts)
        self.request = RequestBooking(uow, facts, jobs, tasks, clock)
        self.allocate = AllocateBooking(uow, facts, jobs, self.changes, clock, HOLD)
        self.offer = OfferFreedBed(uow, facts, self.changes, clock, HOLD)
        self.offer_beds = OfferBeds(uow, facts, self.changes, clock, HOLD)
        self.expire = ExpireHolds(uow, self.changes, clock, self.offer)
        self.cancel = CancelBooking(uow, self.changes, tasks, clock)
        self.move = MoveBooking(uow, self.backend.closures, self.changes, tasks, clock)
        self.check_in = CheckInBooking(uow, self.changes, clock)
        self.check_out = CheckOutBooking(uow, self.changes, tasks, clock)

    async def all_bookings(self) -> list[BookingView]:
        found: list[BookingView] = []
        for resident_id in self.residents:
            criteria = BookingFilter(resident_id=resident_id)
            found += (await self.backend.queries.bookings(criteria, PageRequest(limit=500))).items
        return found


def overlapping_active_pairs(bookings: list[BookingView]) -> list[tuple[UUID, UUID]]:
    active = [b for b in bookings if b.state in ACTIVE_STATES]
    return [
        (one.id, other.id)
        for index, one in enumerate(active)
        for other in active[index + 1 :]
        if (one.bed_id == other.bed_id or one.resident_id == other.resident_id)
        and DateRange(one.starts_on, one.ends_on).overlaps(
            DateRange(other.starts_on, other.ends_on)
        )
    ]


class BookingMachine(RuleBasedStateMachine):
    """Set per backend by the test: `database_url` is None for the in-memory fakes."""

    bookings = Bundle("bookings")  # the ids of the bookings requested so far

    backend_name: ClassVar[str] = "memory"
    database_url: ClassVar[str | None] = None

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.engine: AsyncEngine | None = None
        self.campus = self.run(self._campus())

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(work)

    async def _campus(self) -> Campus:
        if self.database_url is None:
            backend = memory_bookings()
        else:
            self.engine = create_engine(self.database_url, pool_size=2)
            backend = sql_bookings(self.backend_name, self.engine)
        campus = Campus(backend)
        await campus.build()
        return campus

    def teardown(self) -> None:
        if self.engine is not None:
            self.run(self.engine.dispose())
        self.loop.close()

    @rule(
        target=bookings,
        who=st.integers(0, RESIDENTS - 1),
        stay=st.sampled_from(STAYS),
        wants=st.sampled_from(["building", "room", "bed"]),
    )
    def book(self, who: int, stay: DateRange, wants: str) -> Any:
        campus = self.campus
        if stay.start < campus.clock.now().date():
            return multiple()  # a past start is refused before anything is stored
        named: dict[str, Any] = {
            "building": {"preferences": PreferencesInput(building_id=campus.building_id)},
            "room": {"room_id": campus.room_id},
            "bed": {"bed_id": campus.beds[2]},
        }[wants]
        command = RequestBookingCommand(
            resident_id=campus.residents[who], starts_on=stay.start, ends_on=stay.end, **named
        )

        async def book() -> UUID:
            view = await campus.request(STAFF, command)
            await campus.allocate(view.id)
            return view.id

        return self.run(book())

    @rule(booking_id=bookings)
    def pay(self, booking_id: UUID) -> None:
        """What the payment use case does: the domain's confirm, stored from `held`."""

        async def pay() -> None:
            async with self.campus.backend.uow() as uow:
                booking = await uow.bookings.get(booking_id)
            if booking is None or booking.state is not BookingState.HELD:
                return
            confirmed = rules.confirm(booking, self.campus.clock.now())
            if await self.campus.changes.store(confirmed, BookingState.HELD):
                await self.campus.changes.committed(confirmed)

        self.run(pay())

    @rule(booking_id=bookings, by_staff=st.booleans())
    def cancel(self, booking_id: UUID, by_staff: bool) -> None:
        async def cancel() -> None:
            view = await self.campus.backend.queries.booking(booking_id)
            assert view is not None
            caller = STAFF if by_staff else Principal(uuid4(), Role.RESIDENT, view.resident_id)
            try:
                await self.campus.cancel(caller, booking_id, CancelBookingCommand())
            except (IllegalTransition, TooLateToCancel):
                return  # refusals the rules name: a finished booking, a stay already begun
            await self.campus.offer(booking_id)

        self.run(cancel())

    @rule(minutes=st.sampled_from([10, 31, 60 * 24 * 30]))
    def time_passes(self, minutes: int) -> None:
        self.campus.clock.advance(timedelta(minutes=minutes))
        self.run(self.campus.expire())

    @rule(booking_id=bookings, bed=st.integers(0, BEDS - 1))
    def move(self, booking_id: UUID, bed: int) -> None:
        async def move() -> None:
            before = await self.campus.backend.queries.booking(booking_id)
            assert before is not None
            command = MoveBookingCommand(bed_id=self.campus.beds[bed])
            try:
                await self.campus.move(STAFF, booking_id, command)
            except (IllegalTransition, SameBed):
                return
            except Conflict as clash:
                if clash.field != "bed_id":  # only the store refusing a taken bed is expected
                    raise
                return
            assert before.bed_id is not None
            stay = DateRange(before.starts_on, before.ends_on)
            await self.campus.offer_beds([before.bed_id], stay)  # what the task does

        self.run(move())

    @rule(booking_id=bookings)
    def check_in(self, booking_id: UUID) -> None:
        self._dated_step(booking_id, self.campus.check_in, CheckInBookingCommand)

    @rule(booking_id=bookings)
    def check_out(self, booking_id: UUID) -> None:
        self._dated_step(booking_id, self.campus.check_out, CheckOutBookingCommand, offer=True)

    def _dated_step(self, booking_id: UUID, step: Any, command: Any, offer: bool = False) -> None:
        """Arrival and departure on the stay's first night: the office records real dates."""

        async def dated() -> None:
            view = await self.campus.backend.queries.booking(booking_id)
            assert view is not None
            try:
                await step(STAFF, booking_id, command(on=view.starts_on))
            except IllegalTransition:
                return
            if offer:
                await self.campus.offer(booking_id)

        self.run(dated())

    @invariant()
    def no_bed_and_no_resident_is_booked_twice(self) -> None:
        bookings = self.run(self.campus.all_bookings())
        for state in {b.state for b in bookings}:
            event(f"reached {state}")  # --hypothesis-show-statistics: which states were visited
        assert overlapping_active_pairs(bookings) == []
        assert all(b.bed_id in self.campus.beds for b in bookings if b.state in ACTIVE_STATES)


@pytest.mark.parametrize("backend_name", ALL_BACKENDS)
def test_no_sequence_of_steps_books_a_bed_or_a_resident_twice(
    backend_name: str, request: pytest.FixtureRequest
) -> None:
    fixture = {"sqlite": "sqlite_url", "postgresql": "postgres_url"}.get(backend_name)
    url = None if fixture is None else request.getfixturevalue(fixture)
    machine = type(
        f"BookingMachineOn{backend_name.title()}",
        (BookingMachine,),
        {"backend_name": backend_name, "database_url": url},
    )
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=15,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
