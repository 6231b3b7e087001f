"""The issue's promise, on the real databases: fifty simultaneous requests for the last free
bed end with exactly one hold and forty-nine waitlisted, and nothing fails on the way; and
simultaneous requests for a campus with fewer beds than requests fill every bed once."""

import asyncio
from datetime import date, timedelta
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.queries import SqlAlchemyAllocationQueries
from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.payments.queries import SqlAlchemyPaymentQueries
from adapters.sqlalchemy.payments.sandbox import SqlAlchemySandboxGateway
from application.bookings.allocation import AllocateBooking
from application.bookings.commands import RequestBookingCommand
from application.bookings.notices import BookingChanges
from application.bookings.requests import RequestBooking
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.payments.checkout import Checkouts
from domain.accounts.model import Principal, Role
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Resident, RoomType
from domain.jobs.model import JobState
from tests.fakes import (
    FixedClock,
    InMemoryJobRepository,
    RecordingBackgroundTasks,
    RecordingEventBus,
)
from tests.integration.housing_backends import (
    SQL_BACKENDS,
    a_building,
    a_resident,
    a_room,
    engine_for,
    saved,
    sql_backend,
)

CONTENDERS = 50
ROOMS = 20
STAFF = Principal(UUID(int=1), Role.STAFF)
STARTS_ON, ENDS_ON = date(2026, 9, 21), date(2026, 12, 19)


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


async def test_fifty_requests_for_the_last_free_bed_hold_it_once(engine: AsyncEngine) -> None:
    hall = a_building()
    room = a_room(hall, type=RoomType.DOUBLE)
    taken, last = Bed(room_id=room.id, label="A"), Bed(room_id=room.id, label="B")
    occupant = a_resident("99999999")
    people = [a_resident(f"{i:08d}") for i in range(CONTENDERS)]
    await saved(sql_backend("sql", engine), hall, room, taken, last, occupant, *people)

    office = Office(engine)
    await office.book(occupant.id, bed_id=taken.id)

    outcomes = await office.book_at_once(people)

    failures = [outcome for outcome in outcomes if not isinstance(outcome, Booking)]
    assert failures == []
    held = [b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.HELD]
    waitlisted = [
        b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.WAITLISTED
    ]
    assert len(held) == 1
    assert held[0].bed_id == last.id
    assert len(waitlisted) == CONTENDERS - 1
    assert {job.state for job in office.jobs_store.jobs.values()} == {JobState.SUCCEEDED}
    async with office.uow() as check:
        stored = [await check.bookings.get(b.id) for b in held + waitlisted]
    assert [b.state for b in stored if b is not None].count(BookingState.HELD) == 1


async def test_more_simultaneous_requests_than_beds_fill_every_bed_once(
    engine: AsyncEngine,
) -> None:
    hall = a_building()
    rooms = [a_room(hall, number=f"{100 + n}", type=RoomType.DOUBLE) for n in range(ROOMS)]
    beds = [Bed(room_id=room.id, label=label) for room in rooms for label in "AB"]
    people = [a_resident(f"{i:08d}") for i in range(len(beds) + CONTENDERS // 5)]
    await saved(sql_backend("sql", engine), hall, *rooms, *beds, *people)
    office = Office(engine)

    outcomes = await office.book_at_once(people)

    assert [outcome for outcome in outcomes if not isinstance(outcome, Booking)] == []
    held = [b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.HELD]
    assert sorted(str(b.bed_id) for b in held) == sorted(str(bed.id) for bed in beds)
    waitlisted = [
        b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.WAITLISTED
    ]
    assert len(waitlisted) == len(people) - len(beds)
    assert {job.state for job in office.jobs_store.jobs.values()} == {JobState.SUCCEEDED}


class Office:
    """Booking requests and their allocation on one database, as the worker runs them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        clock = FixedClock()
        self.jobs_store = InMemoryJobRepository()
        jobs = JobReporter(self.jobs_store, RecordingEventBus(), clock)
        facts = SqlAlchemyAllocationQueries(engine)
        tasks = RecordingBackgroundTasks()
        notifier = Notifier(clock, tasks, {"login_url": "https://r.example"})
        gateway = SqlAlchemySandboxGateway(engine, "https://r.example", clock)
        checkouts = Checkouts(gateway, SqlAlchemyPaymentQueries(engine))
        changes = BookingChanges(self.uow, facts, notifier, RecordingEventBus(), checkouts)
        self._request = RequestBooking(self.uow, facts, jobs, tasks, clock)
        self._allocate = AllocateBooking(
            self.uow, facts, jobs, changes, clock, timedelta(minutes=30)
        )

    def uow(self) -> SqlAlchemyBookingsUnitOfWork:
        return SqlAlchemyBookingsUnitOfWork(self._engine)

    async def book(self, resident_id: UUID, **changes: object) -> Booking:
        view = await self._request(STAFF, _command(resident_id, **changes))
        return await self._allocate(view.id)

    async def book_at_once(self, people: list[Resident]) -> list[Booking | BaseException]:
        return await asyncio.gather(
            *(self.book(person.id) for person in people), return_exceptions=True
        )


def _command(resident_id: UUID, **changes: object) -> RequestBookingCommand:
    return RequestBookingCommand(
        resident_id=resident_id,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        **changes,  # type: ignore[arg-type]
    )
