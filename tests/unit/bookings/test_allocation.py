"""Allocating a request in the background, releasing unpaid holds, and cancelling."""

import asyncio
from datetime import date, timedelta
from uuid import UUID

import pytest

from application.bookings.allocation import ResumeAllocations
from application.bookings.commands import (
    CancelBookingCommand,
    PreferencesInput,
    RequestBookingCommand,
)
from application.bookings.requests import RequestBooking
from domain.bookings.errors import IllegalTransition, TooLateToCancel
from domain.bookings.model import BookingState
from domain.housing.model import GenderPolicy, ResidentStatus, RoomStatus
from domain.jobs.model import JobState
from domain.shared.errors import NotFound
from tests.unit.bookings.kit import HOLD, STAFF, STAY, Campus, a_resident_principal


async def test_a_request_is_held_in_a_partly_occupied_room_before_an_empty_one(
    campus: Campus,
) -> None:
    hall = campus.building()
    empty = campus.room(hall, "101")
    half_full = campus.room(hall, "102")
    await campus.booked(campus.resident("001"), bed_id=campus.beds_of(half_full)[0].id)

    booking = await campus.booked(campus.resident("002"))

    assert booking.state is BookingState.HELD
    assert booking.bed_id == campus.beds_of(half_full)[1].id
    assert booking.bed_id not in {bed.id for bed in campus.beds_of(empty)}
    assert booking.hold_expires_at == campus.clock.now() + HOLD
    assert campus.stored(booking.id) == booking


async def test_the_job_reports_the_outcome_and_the_resident_topic_hears_it(
    campus: Campus,
) -> None:
    room = campus.room(campus.building(), beds=1)
    resident = campus.resident()
    requested = await campus.request(STAFF, _command(resident.id))
    job_id = requested.job_id

    booking = await campus.allocate(requested.id)

    job = campus.job_repository.jobs[job_id]
    assert job.state is JobState.SUCCEEDED
    assert job.kind == "bookings.allocate"
    assert job.result == {"state": "held", "bed_id": str(campus.beds_of(room)[0].id)}
    events = campus.events.on(f"residents.{resident.id}")
    assert [(event["type"], event["state"]) for event in events] == [("booking", "held")]
    assert events[0]["id"] == str(booking.id)


async def test_a_request_waitlists_when_no_suitable_bed_is_free(campus: Campus) -> None:
    room = campus.room(campus.building(), beds=1)
    await campus.booked(campus.resident("001"))
    campus.clock.advance(timedelta(minutes=5))

    booking = await campus.booked(campus.resident("002"), room_id=room.id)

    assert booking.state is BookingState.WAITLISTED
    assert booking.waitlisted_at == campus.clock.now()
    assert booking.bed_id is None


async def test_a_named_bed_or_building_is_honoured(campus: Campus) -> None:
    north, south = campus.building("NH"), campus.building("SH")
    campus.room(north)
    south_room = campus.room(south)
    wanted = campus.beds_of(south_room)[1]

    by_bed = await campus.booked(campus.resident("001"), bed_id=wanted.id)
    by_building = await campus.booked(
        campus.resident("002"), preferences=PreferencesInput(building_id=south.id)
    )

    assert by_bed.bed_id == wanted.id
    assert by_building.bed_id == campus.beds_of(south_room)[0].id


async def test_gender_policy_and_closed_rooms_are_respected(campus: Campus) -> None:
    campus.room(campus.building("FH", gender_policy=GenderPolicy.FEMALE))
    closed = campus.room(campus.building("MX"), "101", status=RoomStatus.CLOSED)

    booking = await campus.booked(campus.resident())

    assert booking.state is BookingState.WAITLISTED
    assert closed.status is RoomStatus.CLOSED


async def test_a_former_resident_is_rejected_with_the_reason(campus: Campus) -> None:
    campus.room(campus.building())
    resident = campus.resident()
    booking_id = await campus.requested(resident)
    campus.housing.tables.residents[resident.id].status = ResidentStatus.FORMER

    booking = await campus.allocate(booking_id)

    assert booking.state is BookingState.REJECTED
    assert booking.reason is not None
    assert "former resident" in booking.reason


async def test_a_resident_with_an_overlapping_active_booking_is_rejected(campus: Campus) -> None:
    campus.room(campus.building())
    resident = campus.resident()
    await campus.booked(resident)

    second = await campus.booked(resident, starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 9))

    assert second.state is BookingState.REJECTED
    assert second.reason == "the resident already has an active booking for these dates"


async def test_allocating_twice_changes_nothing_the_second_time(campus: Campus) -> None:
    campus.room(campus.building())
    requested = await campus.request(STAFF, _command(campus.resident().id))
    first = await campus.allocate(requested.id)
    published = len(campus.events.published)

    again = await campus.allocate(requested.id)

    assert again == first
    # Only the (refused) job restart could have published; the booking was not published again.
    assert [t for t, _ in campus.events.published[published:] if t.startswith("residents.")] == []


async def test_of_many_simultaneous_requests_for_the_last_bed_one_is_held(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    ids = [await campus.requested(campus.resident(f"{i:03d}")) for i in range(20)]

    outcomes = await asyncio.gather(*(campus.allocate(booking_id) for booking_id in ids))

    states = sorted(booking.state for booking in outcomes)
    assert states.count(BookingState.HELD) == 1
    assert states.count(BookingState.WAITLISTED) == 19


async def test_unpaid_holds_expire_once_their_deadline_passes(campus: Campus) -> None:
    campus.room(campus.building())
    early = await campus.booked(campus.resident("001"))
    campus.clock.advance(timedelta(minutes=10))
    late = await campus.booked(campus.resident("002"))
    campus.clock.advance(HOLD - timedelta(minutes=10))

    assert await campus.expire_holds() == 1
    assert await campus.expire_holds() == 0

    assert campus.stored(early.id).state is BookingState.EXPIRED
    assert campus.stored(late.id).state is BookingState.HELD
    events = campus.events.on(f"residents.{early.resident_id}")
    assert [event["state"] for event in events] == ["held", "expired"]


async def test_a_resident_cancels_their_own_booking_before_the_stay(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    resident = campus.resident()
    booking = await campus.booked(resident)

    view = await campus.cancel(
        a_resident_principal(resident.id), booking.id, CancelBookingCommand(reason="plans changed")
    )

    assert view.state is BookingState.CANCELLED
    assert view.reason == "plans changed"
    assert len(await campus.facts.free_beds(booking.stay)) == 1


async def test_only_the_office_cancels_once_the_stay_has_begun(campus: Campus) -> None:
    campus.room(campus.building())
    resident = campus.resident()
    booking = await campus.booked(resident)
    campus.clock.advance(timedelta(days=30))  # into the stay, which began on 2026-09-21

    with pytest.raises(TooLateToCancel):
        await campus.cancel(a_resident_principal(resident.id), booking.id, CancelBookingCommand())
    cancelled = await campus.cancel(STAFF, booking.id, CancelBookingCommand())

    assert cancelled.state is BookingState.CANCELLED
    with pytest.raises(IllegalTransition):
        await campus.cancel(STAFF, booking.id, CancelBookingCommand())


async def test_another_residents_booking_cannot_be_cancelled_or_seen(campus: Campus) -> None:
    campus.room(campus.building())
    booking = await campus.booked(campus.resident("001"))
    stranger = a_resident_principal(campus.resident("002").id)

    with pytest.raises(NotFound):
        await campus.cancel(stranger, booking.id, CancelBookingCommand())
    with pytest.raises(NotFound):
        await campus.get(stranger, booking.id)
    assert campus.stored(booking.id).state is BookingState.HELD


def _command(resident_id: UUID) -> RequestBookingCommand:
    return RequestBookingCommand(resident_id=resident_id, **STAY)


class DownBroker:
    async def enqueue(self, task_name: str, **arguments: object) -> None:
        raise ConnectionError("broker unreachable")


async def test_a_request_whose_task_was_lost_is_allocated_by_the_resume_sweep(
    campus: Campus,
) -> None:
    campus.room(campus.building())
    request = RequestBooking(campus.uow, campus.facts, campus.jobs, DownBroker(), campus.clock)
    lost = await request(STAFF, _command(campus.resident("001").id))
    resume = ResumeAllocations(campus.uow, campus.allocate, campus.clock)
    campus.clock.advance(timedelta(seconds=30))
    fresh = await campus.requested(campus.resident("002"))

    assert await resume() == 0  # a request is given a minute for its own task
    campus.clock.advance(timedelta(seconds=40))
    assert await resume() == 1

    assert campus.stored(lost.id).state is BookingState.HELD
    assert campus.job_repository.jobs[lost.job_id].state is JobState.SUCCEEDED
    assert campus.stored(fresh).state is BookingState.REQUESTED
