"""The bookings table keeps "no bed and no resident has two overlapping active bookings" by
itself: an exclusion constraint on PostgreSQL, triggers on SQLite. Whatever the application
checks first, a write that would break the rule fails as a Conflict naming the field."""

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.records import SqlAlchemyBookingRecords
from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from application.housing.beds import RemoveBed
from application.housing.residents import DeleteResident
from application.housing.rooms import DeleteRoom
from domain.bookings.model import BedPreferences, Booking, BookingState
from domain.housing.model import Bed, RoomType
from domain.shared.dates import DateRange
from domain.shared.errors import ConcurrentChange, Conflict
from tests.integration.housing_backends import (
    SQL_BACKENDS,
    a_building,
    a_resident,
    a_room,
    engine_for,
    saved,
    sql_backend,
)

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
AUTUMN = DateRange(date(2026, 9, 21), date(2026, 12, 19))


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


async def a_campus(
    engine: AsyncEngine, beds: int = 2, residents: int = 2
) -> tuple[list[UUID], list[UUID]]:
    """Bed ids and resident ids, saved."""
    building = a_building()
    room = a_room(building, type=RoomType.QUAD)
    bed_rows = [Bed(room_id=room.id, label=chr(ord("A") + i)) for i in range(beds)]
    people = [a_resident(f"{i:08d}") for i in range(residents)]
    await saved(sql_backend("sql", engine), building, room, *bed_rows, *people)
    return [bed.id for bed in bed_rows], [person.id for person in people]


def a_booking(
    resident_id: UUID, bed_id: UUID | None, stay: DateRange = AUTUMN, **changes: object
) -> Booking:
    values: dict[str, object] = {
        "resident_id": resident_id,
        "stay": stay,
        "requested_at": NOW,
        "state": BookingState.HELD,
        "bed_id": bed_id,
        "hold_expires_at": NOW + timedelta(minutes=30),
    }
    return Booking(**(values | changes))  # type: ignore[arg-type]


async def add(engine: AsyncEngine, booking: Booking) -> None:
    async with SqlAlchemyBookingsUnitOfWork(engine) as uow:
        await uow.bookings.add(booking)
        await uow.commit()


async def update(engine: AsyncEngine, booking: Booking) -> None:
    async with SqlAlchemyBookingsUnitOfWork(engine) as uow:
        await uow.bookings.update(booking)
        await uow.commit()


async def stored(engine: AsyncEngine, booking_id: UUID) -> Booking | None:
    async with SqlAlchemyBookingsUnitOfWork(engine) as uow:
        return await uow.bookings.get(booking_id)


async def test_a_booking_reads_back_as_it_was_written(engine: AsyncEngine) -> None:
    (bed, _), (resident, _) = await a_campus(engine)
    booking = a_booking(
        resident,
        None,
        state=BookingState.WAITLISTED,
        hold_expires_at=None,
        waitlisted_at=NOW,
        requested_bed_id=bed,
        preferences=BedPreferences(room_type=RoomType.SINGLE, accessible=True),
        reason="no single room free yet",
    )
    await add(engine, booking)

    found = await stored(engine, booking.id)

    assert found is not None
    assert replace(found, updated_at=None) == booking


async def test_two_active_bookings_of_one_bed_may_not_overlap(engine: AsyncEngine) -> None:
    (bed, _), (first, second) = await a_campus(engine)
    await add(engine, a_booking(first, bed))
    overlapping = DateRange(AUTUMN.end - timedelta(days=1), AUTUMN.end + timedelta(days=30))

    with pytest.raises(Conflict) as refused:
        await add(engine, a_booking(second, bed, overlapping))

    assert refused.value.field == "bed_id"


async def test_one_resident_may_not_hold_two_beds_for_overlapping_stays(
    engine: AsyncEngine,
) -> None:
    (bed, other_bed), (resident, _) = await a_campus(engine)
    await add(engine, a_booking(resident, bed, state=BookingState.CONFIRMED))

    with pytest.raises(Conflict) as refused:
        await add(engine, a_booking(resident, other_bed))

    assert refused.value.field == "resident_id"


async def test_back_to_back_stays_and_finished_bookings_do_not_clash(engine: AsyncEngine) -> None:
    (bed, _), (first, second) = await a_campus(engine)
    await add(engine, a_booking(first, bed, state=BookingState.CHECKED_IN))
    after = DateRange(AUTUMN.end, AUTUMN.end + timedelta(days=60))
    await add(engine, a_booking(second, bed, after))
    for state in (BookingState.CANCELLED, BookingState.EXPIRED, BookingState.CHECKED_OUT):
        await add(engine, a_booking(second, bed, state=state, hold_expires_at=None))


async def test_bringing_a_finished_booking_back_to_life_over_a_taken_bed_is_refused(
    engine: AsyncEngine,
) -> None:
    (bed, _), (first, second) = await a_campus(engine)
    expired = a_booking(first, bed, state=BookingState.EXPIRED)
    await add(engine, expired)
    await add(engine, a_booking(second, bed))

    with pytest.raises(Conflict) as refused:
        await update(engine, replace(expired, state=BookingState.HELD))

    assert refused.value.field == "bed_id"
    found = await stored(engine, expired.id)
    assert found is not None
    assert found.state is BookingState.EXPIRED


async def test_of_many_concurrent_holds_on_one_bed_exactly_one_is_stored(
    engine: AsyncEngine,
) -> None:
    contenders = 12
    (bed, _), residents = await a_campus(engine, residents=contenders)
    bookings = [a_booking(resident, bed) for resident in residents]

    outcomes = await asyncio.gather(
        *(add(engine, booking) for booking in bookings), return_exceptions=True
    )

    refusals = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert [
        outcome for outcome in outcomes if outcome is not None and outcome not in refusals
    ] == []
    assert len(refusals) == contenders - 1
    held = [b for b in bookings if await stored(engine, b.id) is not None]
    assert len(held) == 1


async def test_what_a_booking_names_cannot_be_deleted(engine: AsyncEngine) -> None:
    """Bookings are history: their bed, the bed's room and their resident stay, and deleting one
    answers 409 (documented on each delete operation), not a server error."""
    building = a_building()
    room = a_room(building)
    bed = Bed(room_id=room.id, label="A")
    resident = a_resident("00412345")
    housing = sql_backend("sql", engine)
    await saved(housing, building, room, bed, resident)
    await add(engine, a_booking(resident.id, bed.id, state=BookingState.CANCELLED))

    records = SqlAlchemyBookingRecords(engine)
    deletions = [
        lambda: RemoveBed(housing.uow, records)(room.id, bed.id),
        lambda: DeleteRoom(housing.uow, records)(room.id),
        lambda: DeleteResident(housing.uow, records)(resident.id),
    ]
    for deletion in deletions:
        with pytest.raises(Conflict):
            await deletion()


async def test_a_deadlock_between_racing_writes_is_a_conflict_worth_retrying(
    postgres_engine: AsyncEngine,
) -> None:
    """Two inserts meeting on the exclusion constraints can deadlock; PostgreSQL aborts one,
    and its unit of work answers as for any lost race (here the deadlock is raised by hand)."""
    deadlock = "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40P01'; END $$"

    async def lose_to_a_deadlock() -> None:
        async with SqlAlchemyBookingsUnitOfWork(postgres_engine) as uow:
            assert uow._connection is not None
            await uow._connection.exec_driver_sql(deadlock)

    with pytest.raises(ConcurrentChange):
        await lose_to_a_deadlock()
