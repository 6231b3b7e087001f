"""The bookings read side and repository extras behave alike on the fakes, SQLite and
PostgreSQL: free beds for a stay, allocation facts, booking lists, conditional updates."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from application.bookings.views import BookingFilter, booking_view
from application.shared.paging import PageRequest
from domain.bookings.allocation import CandidateBed, ResidentFacts
from domain.bookings.model import Booking, BookingState
from domain.housing.model import (
    Bed,
    Gender,
    GenderPolicy,
    ResidentStatus,
    RoomStatus,
    RoomType,
)
from domain.shared.dates import DateRange
from tests.integration.bookings_backends import BookingsBackend, bookings_backend
from tests.integration.housing_backends import (
    ALL_BACKENDS,
    a_building,
    a_resident,
    a_room,
    a_term,
    saved,
)

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
STAY = DateRange(date(2026, 9, 21), date(2026, 12, 19))
AFTER = DateRange(STAY.end, STAY.end + timedelta(days=30))


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> BookingsBackend:
    return bookings_backend(request)


async def stored(backend: BookingsBackend, *bookings: Booking) -> None:
    async with backend.uow() as uow:
        for booking in bookings:
            await uow.bookings.add(booking)
        await uow.commit()


def a_booking(resident_id: object, bed: Bed | None, **changes: object) -> Booking:
    values: dict[str, object] = {
        "resident_id": resident_id,
        "stay": STAY,
        "requested_at": NOW,
        "state": BookingState.HELD,
        "bed_id": None if bed is None else bed.id,
        "hold_expires_at": NOW + timedelta(minutes=30),
    }
    return Booking(**(values | changes))  # type: ignore[arg-type]


async def test_free_beds_leave_out_booked_inactive_and_closed_ones(
    backend: BookingsBackend,
) -> None:
    hall = a_building("NH", gender_policy=GenderPolicy.FEMALE)
    shut_hall = a_building("OLD", active=False)
    double = a_room(hall, "101", type=RoomType.DOUBLE)
    single = a_room(hall, "201", type=RoomType.SINGLE, accessible=True)
    closed = a_room(hall, "301", status=RoomStatus.CLOSED)
    in_shut_hall = a_room(shut_hall, "101")
    bed_a, bed_b = Bed(room_id=double.id, label="A"), Bed(room_id=double.id, label="B")
    retired = Bed(room_id=double.id, label="C", active=False)
    single_bed = Bed(room_id=single.id, label="A")
    others = [Bed(room_id=room.id, label="A") for room in (closed, in_shut_hall)]
    people = [a_resident(f"{i:08d}") for i in range(3)]
    rooms = (double, single, closed, in_shut_hall)
    beds = (bed_a, bed_b, retired, single_bed, *others)
    await saved(backend.housing, hall, shut_hall, *rooms, *beds, *people)
    await stored(
        backend,
        a_booking(people[0].id, bed_a),
        a_booking(people[1].id, bed_b, state=BookingState.EXPIRED),
        a_booking(people[2].id, single_bed, stay=AFTER, state=BookingState.CONFIRMED),
    )

    free = await backend.facts.free_beds(STAY)

    def candidate(bed: Bed, room: object, occupied: int, capacity: int) -> CandidateBed:
        assert room is double or room is single
        return CandidateBed(
            bed_id=bed.id,
            room_id=room.id,
            building_id=hall.id,
            room_number=room.number,
            bed_label=bed.label,
            room_type=room.type,
            accessible=room.accessible,
            building_gender_policy=GenderPolicy.FEMALE,
            occupied_beds_in_room=occupied,
            room_capacity=capacity,
            floor=room.floor,
        )

    assert free == [candidate(bed_b, double, 1, 2), candidate(single_bed, single, 0, 1)]
    assert [bed.bed_id for bed in await backend.facts.free_beds(AFTER)] == [bed_a.id, bed_b.id]


async def test_allocation_facts_read_residents_terms_and_active_bookings(
    backend: BookingsBackend,
) -> None:
    hall = a_building()
    room = a_room(hall)
    bed = Bed(room_id=room.id, label="A")
    resident = a_resident(
        gender=Gender.NON_BINARY, status=ResidentStatus.ACTIVE, needs_accessible_room=True
    )
    term = a_term()
    await saved(backend.housing, hall, room, bed, resident, term)
    await stored(backend, a_booking(resident.id, bed))
    facts = backend.facts

    assert await facts.resident(resident.id) == ResidentFacts(
        resident.id, ResidentStatus.ACTIVE, Gender.NON_BINARY, True
    )
    assert await facts.resident(uuid4()) is None
    contact = await facts.contact(resident.id)
    assert contact is not None
    assert (contact.resident_id, contact.email, contact.full_name) == (
        resident.id,
        resident.email,
        "Ada Okafor",
    )
    assert await facts.contact(uuid4()) is None
    assert await facts.term_dates(term.id) == term.dates
    assert await facts.term_dates(uuid4()) is None
    assert (await facts.bed_exists(bed.id), await facts.bed_exists(uuid4())) == (True, False)
    assert (await facts.room_exists(room.id), await facts.room_exists(uuid4())) == (True, False)
    assert await facts.building_exists(hall.id)
    assert not await facts.building_exists(uuid4())
    assert await facts.has_active_booking(resident.id, STAY)
    assert not await facts.has_active_booking(resident.id, AFTER)


async def test_bookings_list_by_filter_newest_first(backend: BookingsBackend) -> None:
    north, south = a_building("NH"), a_building("SH")
    north_room, south_room = a_room(north), a_room(south)
    north_bed, south_bed = (
        Bed(room_id=north_room.id, label="A"),
        Bed(room_id=south_room.id, label="A"),
    )
    ada, bob = a_resident("00000001"), a_resident("00000002")
    term = a_term()
    await saved(
        backend.housing, north, south, north_room, south_room, north_bed, south_bed, ada, bob, term
    )
    first = a_booking(ada.id, north_bed, term_id=term.id)
    second = a_booking(bob.id, south_bed, requested_at=NOW + timedelta(minutes=1))
    third = a_booking(
        ada.id,
        None,
        stay=AFTER,
        state=BookingState.WAITLISTED,
        hold_expires_at=None,
        waitlisted_at=NOW,
        requested_at=NOW + timedelta(minutes=2),
    )
    await stored(backend, first, second, third)

    async def ids(**criteria: object) -> list[object]:
        page = await backend.queries.bookings(BookingFilter(**criteria), PageRequest())  # type: ignore[arg-type]
        return [item.id for item in page.items]

    assert await ids() == [third.id, second.id, first.id]
    assert await ids(resident_id=ada.id) == [third.id, first.id]
    assert await ids(building_id=north.id) == [first.id]
    assert await ids(term_id=term.id) == [first.id]
    assert await ids(state=BookingState.WAITLISTED) == [third.id]
    page = await backend.queries.bookings(BookingFilter(), PageRequest(limit=1, offset=1))
    assert (page.total, [item.id for item in page.items]) == (3, [second.id])
    assert await backend.queries.booking(third.id) == booking_view(third)
    assert await backend.queries.booking(uuid4()) is None


async def test_a_conditional_update_applies_only_from_the_expected_state(
    backend: BookingsBackend,
) -> None:
    hall = a_building()
    room = a_room(hall)
    bed = Bed(room_id=room.id, label="A")
    resident = a_resident()
    await saved(backend.housing, hall, room, bed, resident)
    requested = a_booking(resident.id, None, state=BookingState.REQUESTED, hold_expires_at=None)
    await stored(backend, requested)
    held = replace(
        requested,
        state=BookingState.HELD,
        bed_id=bed.id,
        hold_expires_at=NOW + timedelta(minutes=30),
    )

    async with backend.uow() as uow:
        applied = await uow.bookings.update_from(held, BookingState.REQUESTED)
        again = await uow.bookings.update_from(held, BookingState.REQUESTED)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.bookings.get(requested.id)
        due_early = await uow.bookings.expired_holds(NOW + timedelta(minutes=29), 10)
        due = await uow.bookings.expired_holds(NOW + timedelta(minutes=30), 10)

    assert (applied, again) == (True, False)
    assert found is not None
    assert replace(found, updated_at=None) == held
    assert due_early == []
    assert [replace(b, updated_at=None) for b in due] == [held]


async def test_the_waitlist_during_a_stay_is_in_queue_order(backend: BookingsBackend) -> None:
    people = [a_resident(f"{i:08d}") for i in range(4)]
    await saved(backend.housing, *people)

    def waiting(person: int, minutes: int, stay: DateRange = STAY) -> Booking:
        return a_booking(
            people[person].id,
            None,
            stay=stay,
            state=BookingState.WAITLISTED,
            hold_expires_at=None,
            waitlisted_at=NOW + timedelta(minutes=minutes),
        )

    late, early, elsewhere = waiting(0, 5), waiting(1, 1), waiting(2, 0, AFTER)
    requested = a_booking(people[3].id, None, state=BookingState.REQUESTED, hold_expires_at=None)
    await stored(backend, late, early, elsewhere, requested)

    async with backend.uow() as uow:
        queue = await uow.bookings.waitlisted_during(STAY, 10)
        first = await uow.bookings.waitlisted_during(STAY, 1)

    assert [b.id for b in queue] == [early.id, late.id]
    assert [b.id for b in first] == [early.id]


async def test_requests_left_unallocated_are_found_oldest_first(backend: BookingsBackend) -> None:
    people = [a_resident(f"{i:08d}") for i in range(3)]
    await saved(backend.housing, *people)

    def requested(person: int, minutes: int) -> Booking:
        at = NOW + timedelta(minutes=minutes)
        return a_booking(
            people[person].id,
            None,
            state=BookingState.REQUESTED,
            hold_expires_at=None,
            requested_at=at,
            job_id=uuid4(),
        )

    newer, older, too_new = requested(0, 2), requested(1, 1), requested(2, 10)
    await stored(backend, newer, older, too_new)

    async with backend.uow() as uow:
        pending = await uow.bookings.requested_before(NOW + timedelta(minutes=5), 10)
        found = await uow.bookings.get(older.id)

    assert pending == [older.id, newer.id]
    assert found is not None
    assert found.job_id == older.job_id
