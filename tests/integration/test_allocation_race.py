"""The issue's promise, on the real databases: fifty simultaneous requests for the last free
bed end with exactly one hold and forty-nine waitlisted, and nothing fails on the way."""

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
from domain.housing.model import Bed, RoomType
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

    clock = FixedClock()
    jobs_store = InMemoryJobRepository()
    jobs = JobReporter(jobs_store, RecordingEventBus(), clock)
    events = RecordingEventBus()

    def uow() -> SqlAlchemyBookingsUnitOfWork:
        return SqlAlchemyBookingsUnitOfWork(engine)

    facts = SqlAlchemyAllocationQueries(engine)
    tasks = RecordingBackgroundTasks()
    notifier = Notifier(clock, tasks, {"login_url": "https://r.example"})
    gateway = SqlAlchemySandboxGateway(engine, "https://r.example", clock)
    checkouts = Checkouts(gateway, SqlAlchemyPaymentQueries(engine))
    changes = BookingChanges(uow, facts, notifier, events, checkouts)
    request = RequestBooking(uow, facts, jobs, tasks, clock)
    allocate = AllocateBooking(uow, facts, jobs, changes, clock, timedelta(minutes=30))
    first = await request(STAFF, _command(occupant.id, bed_id=taken.id))
    await allocate(first.id)

    async def request_and_allocate(resident_id: UUID) -> Booking:
        view = await request(STAFF, _command(resident_id))
        return await allocate(view.id)

    outcomes = await asyncio.gather(
        *(request_and_allocate(person.id) for person in people), return_exceptions=True
    )

    failures = [outcome for outcome in outcomes if not isinstance(outcome, Booking)]
    assert failures == []
    held = [b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.HELD]
    waitlisted = [
        b for b in outcomes if isinstance(b, Booking) and b.state is BookingState.WAITLISTED
    ]
    assert len(held) == 1
    assert held[0].bed_id == last.id
    assert len(waitlisted) == CONTENDERS - 1
    assert {job.state for job in jobs_store.jobs.values()} == {JobState.SUCCEEDED}
    async with uow() as check:
        stored = [await check.bookings.get(b.id) for b in held + waitlisted]
    assert [b.state for b in stored if b is not None].count(BookingState.HELD) == 1


def _command(resident_id: UUID, **changes: object) -> RequestBookingCommand:
    return RequestBookingCommand(
        resident_id=resident_id,
        starts_on=STARTS_ON,
        ends_on=ENDS_ON,
        **changes,  # type: ignore[arg-type]
    )
