"""Requesting a booking (checked and stored, allocation queued), listing and availability."""

from datetime import date, timedelta
from typing import Any
from uuid import uuid4

import pytest

from application.bookings.commands import PreferencesInput, RequestBookingCommand
from application.bookings.views import AvailabilityFilter, BookingFilter
from application.shared.paging import PageRequest
from domain.bookings.model import BookingState
from domain.housing.model import RoomStatus, RoomType
from domain.jobs.model import JobState
from domain.shared.errors import InvalidValue
from tests.unit.bookings.kit import STAFF, STAY, Campus, a_resident_principal


async def test_a_request_is_stored_and_its_allocation_queued(campus: Campus) -> None:
    resident = campus.resident()

    view = await campus.request(a_resident_principal(resident.id), RequestBookingCommand(**STAY))

    assert view.state is BookingState.REQUESTED
    assert view.resident_id == resident.id
    assert (view.starts_on, view.ends_on) == (STAY["starts_on"], STAY["ends_on"])
    assert campus.stored(view.id).state is BookingState.REQUESTED
    assert campus.tasks.enqueued == [("bookings.allocate", {"booking_id": str(view.id)})]
    job = campus.job_repository.jobs[view.job_id]
    caller = a_resident_principal(resident.id)
    assert (job.state, job.kind, job.created_by) == (
        JobState.QUEUED,
        "bookings.allocate",
        caller.user_id,
    )


async def test_a_term_gives_the_dates_or_what_is_left_of_them(campus: Campus) -> None:
    resident = campus.resident()
    under_way = campus.term(start=date(2026, 8, 1), nights=120)

    view = await campus.request(
        STAFF, RequestBookingCommand(resident_id=resident.id, term_id=under_way.id)
    )

    assert view.starts_on == campus.clock.now().date()
    assert view.ends_on == under_way.dates.end
    assert view.term_id == under_way.id


def _bad_requests(campus: Campus) -> list[tuple[dict[str, Any], str]]:
    resident_id = campus.resident().id
    term = campus.term()
    room = campus.room(campus.building())
    base: dict[str, Any] = {"resident_id": resident_id, **STAY}
    yesterday = campus.clock.now().date() - timedelta(days=1)
    return [
        ({**base, "resident_id": uuid4()}, "resident_id"),
        ({**STAY}, "resident_id"),  # the office must name the resident
        ({**base, "term_id": uuid4(), "starts_on": None, "ends_on": None}, "term_id"),
        ({**base, "term_id": term.id}, "term_id"),  # a term and dates
        ({"resident_id": resident_id}, "starts_on"),
        ({**base, "ends_on": None}, "ends_on"),
        ({**base, "starts_on": yesterday}, "starts_on"),
        ({**base, "ends_on": STAY["starts_on"]}, "ends_on"),
        ({**base, "bed_id": uuid4()}, "bed_id"),
        ({**base, "room_id": uuid4()}, "room_id"),
        ({**base, "bed_id": campus.beds_of(room)[0].id, "room_id": room.id}, "room_id"),
        ({**base, "preferences": PreferencesInput(building_id=uuid4())}, "preferences.building_id"),
    ]


async def test_a_bad_request_names_the_field_and_stores_nothing(campus: Campus) -> None:
    for body, field in _bad_requests(campus):
        with pytest.raises(InvalidValue) as refused:
            await campus.request(STAFF, RequestBookingCommand(**body))
        assert refused.value.field == field, body
    assert campus.store.rows == {}
    assert campus.tasks.enqueued == []


async def test_a_resident_lists_only_their_own_bookings(campus: Campus) -> None:
    campus.room(campus.building())
    ada, bob = campus.resident("001"), campus.resident("002")
    own = await campus.booked(ada)
    await campus.booked(bob)

    seen = await campus.list(a_resident_principal(ada.id), BookingFilter(), PageRequest())
    everyone = await campus.list(STAFF, BookingFilter(), PageRequest())

    assert [item.id for item in seen.items] == [own.id]
    assert everyone.total == 2


async def test_bookings_filter_by_state_building_and_term(campus: Campus) -> None:
    north, south = campus.building("NH"), campus.building("SH")
    campus.room(north, beds=1)
    campus.room(south, beds=1)
    term = campus.term()
    in_north = await campus.booked(
        campus.resident("001"), preferences=PreferencesInput(building_id=north.id)
    )
    waiting_id = await campus.requested(
        campus.resident("002"), room_id=campus.housing.tables.beds[in_north.bed_id].room_id
    )  # type: ignore[index]
    waiting = await campus.allocate(waiting_id)
    for_term = (
        await campus.request(
            STAFF, RequestBookingCommand(resident_id=campus.resident("003").id, term_id=term.id)
        )
    ).id

    async def ids(**criteria: Any) -> list[Any]:
        page = await campus.list(STAFF, BookingFilter(**criteria), PageRequest())
        return [item.id for item in page.items]

    assert await ids(building_id=north.id) == [in_north.id]
    assert await ids(building_id=south.id) == []
    assert await ids(state=BookingState.WAITLISTED) == [waiting.id]
    assert await ids(term_id=term.id) == [for_term]


async def test_availability_counts_the_free_beds_that_match(campus: Campus) -> None:
    hall = campus.building()
    double = campus.room(hall, "101")
    campus.room(hall, "102", beds=1, type=RoomType.SINGLE, accessible=True)
    campus.room(hall, "103", status=RoomStatus.CLOSED)
    await campus.booked(campus.resident(), bed_id=campus.beds_of(double)[0].id)
    dates = {"starts_on": STAY["starts_on"], "ends_on": STAY["ends_on"]}

    every = await campus.availability(AvailabilityFilter(**dates))
    accessible = await campus.availability(AvailabilityFilter(**dates, accessible=True))
    after = await campus.availability(
        AvailabilityFilter(starts_on=STAY["ends_on"], ends_on=date(2027, 1, 9))
    )

    assert every.free == 2
    assert sorted((c.room_type, c.free) for c in every.counts) == [
        (RoomType.DOUBLE, 1),
        (RoomType.SINGLE, 1),
    ]
    assert [bed.room_number for bed in accessible.beds] == ["102"]
    assert after.free == 3  # back to back with the stay booked: the booked bed is free again
