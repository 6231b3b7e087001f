"""Check-in, check-out and moves on the in-memory fakes: real dates recorded, the office only,
a freed bed offered to the waitlist, the database's rule deciding a clash."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from application.bookings.commands import (
    CheckInBookingCommand,
    CheckOutBookingCommand,
    MoveBookingCommand,
    PlaceClosureCommand,
)
from domain.bookings.closures import ClosureTarget
from domain.bookings.errors import IllegalTransition, SameBed
from domain.bookings.model import BookingState
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict, Forbidden, InvalidValue, NotFound
from tests.unit.bookings.kit import STAFF, STAY, Campus, a_resident_principal

ARRIVAL = STAY["starts_on"]


async def test_a_confirmed_booking_checks_in_and_out_with_the_real_dates(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    booking = await campus.confirmed(campus.resident("001"))

    arrived = await campus.check_in(STAFF, booking.id, CheckInBookingCommand(on=ARRIVAL))
    left = await campus.check_out(STAFF, booking.id, CheckOutBookingCommand(on=date(2026, 12, 1)))

    assert (arrived.state, arrived.checked_in_on) == (BookingState.CHECKED_IN, ARRIVAL)
    assert (left.state, left.checked_out_on) == (BookingState.CHECKED_OUT, date(2026, 12, 1))
    assert campus.stored(booking.id).checked_in_on == ARRIVAL
    assert campus.emails()[-1] == ("booking_checked_out", "001@example.edu")
    events = campus.events.on(f"residents.{booking.resident_id}")
    assert [event["state"] for event in events][-2:] == ["checked_in", "checked_out"]
    assert campus.tasks.enqueued[-1] == (
        "bookings.offer_freed_bed",
        {"booking_id": str(booking.id)},
    )


async def test_the_day_defaults_to_today_and_a_wrong_day_names_on(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    booking = await campus.confirmed(campus.resident("001"))

    with pytest.raises(InvalidValue) as early:  # the clock's today is before the stay
        await campus.check_in(STAFF, booking.id, CheckInBookingCommand())
    campus.clock.advance(timedelta(days=25))
    arrived = await campus.check_in(STAFF, booking.id, CheckInBookingCommand())
    with pytest.raises(InvalidValue) as before_arrival:
        await campus.check_out(STAFF, booking.id, CheckOutBookingCommand(on=ARRIVAL))

    assert early.value.field == before_arrival.value.field == "on"
    assert arrived.checked_in_on == campus.clock.now().date()


async def test_only_the_right_states_and_the_office_may_check_in_or_out(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    resident = campus.resident("001")
    held = await campus.booked(resident)

    with pytest.raises(IllegalTransition):
        await campus.check_in(STAFF, held.id, CheckInBookingCommand(on=ARRIVAL))
    with pytest.raises(IllegalTransition):
        await campus.check_out(STAFF, held.id, CheckOutBookingCommand(on=ARRIVAL))
    with pytest.raises(Forbidden):
        await campus.check_in(
            a_resident_principal(resident.id), held.id, CheckInBookingCommand(on=ARRIVAL)
        )
    with pytest.raises(NotFound):
        await campus.check_in(STAFF, uuid4(), CheckInBookingCommand(on=ARRIVAL))
    assert campus.stored(held.id).state is BookingState.HELD


async def test_checking_out_offers_the_bed_to_the_waitlist(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    staying = await campus.confirmed(campus.resident("001"))
    waiting = await campus.booked(
        campus.resident("002"), starts_on=date(2026, 10, 1), ends_on=date(2026, 11, 1)
    )
    await campus.check_in(STAFF, staying.id, CheckInBookingCommand(on=ARRIVAL))

    await campus.check_out(STAFF, staying.id, CheckOutBookingCommand(on=date(2026, 9, 25)))
    offered = await campus.offer(staying.id)

    assert waiting.state is BookingState.WAITLISTED
    assert offered is not None
    assert (offered.id, offered.state) == (waiting.id, BookingState.HELD)


async def test_a_move_changes_the_bed_and_offers_the_old_one(campus: Campus) -> None:
    hall = campus.building()
    first, second = campus.room(hall, "101", beds=1), campus.room(hall, "102", beds=1)
    booking = await campus.confirmed(campus.resident("001"), room_id=first.id)
    old_bed, new_bed = campus.beds_of(first)[0].id, campus.beds_of(second)[0].id

    moved = await campus.move(STAFF, booking.id, MoveBookingCommand(bed_id=new_bed))

    assert (moved.state, moved.bed_id) == (BookingState.CONFIRMED, new_bed)
    assert campus.stored(booking.id).bed_id == new_bed
    assert campus.emails()[-1] == ("booking_moved", "001@example.edu")
    assert campus.tasks.enqueued[-1] == (
        "bookings.offer_beds",
        {"bed_ids": [str(old_bed)], "starts_on": "2026-09-21", "ends_on": "2026-12-19"},
    )


async def test_a_move_onto_a_taken_bed_is_refused_by_the_store(campus: Campus) -> None:
    hall = campus.building()
    first, second = campus.room(hall, "101", beds=1), campus.room(hall, "102", beds=1)
    mover = await campus.confirmed(campus.resident("001"), room_id=first.id)
    await campus.confirmed(campus.resident("002"), room_id=second.id)
    taken = campus.beds_of(second)[0].id

    with pytest.raises(Conflict) as clash:
        await campus.move(STAFF, mover.id, MoveBookingCommand(bed_id=taken))

    assert clash.value.field == "bed_id"
    assert campus.stored(mover.id).bed_id == campus.beds_of(first)[0].id
    assert not [task for task, _ in campus.tasks.enqueued if task == "bookings.offer_beds"]


async def test_a_move_onto_a_closed_missing_or_same_bed_is_refused(campus: Campus) -> None:
    hall = campus.building()
    first, second = campus.room(hall, "101", beds=1), campus.room(hall, "102", beds=1)
    booking = await campus.confirmed(campus.resident("001"), room_id=first.id)
    await campus.place_closure(
        None,
        PlaceClosureCommand(
            target=ClosureTarget.ROOM,
            target_id=second.id,
            starts_on=date(2026, 12, 1),
            ends_on=date(2027, 1, 10),
            reason="heating",
        ),
    )

    with pytest.raises(Conflict, match="closed") as closed:
        await campus.move(
            STAFF, booking.id, MoveBookingCommand(bed_id=campus.beds_of(second)[0].id)
        )
    with pytest.raises(InvalidValue) as missing:
        await campus.move(STAFF, booking.id, MoveBookingCommand(bed_id=uuid4()))
    with pytest.raises(SameBed):
        await campus.move(STAFF, booking.id, MoveBookingCommand(bed_id=booking.bed_id or uuid4()))

    assert (closed.value.field, missing.value.field) == ("bed_id", "bed_id")


async def test_offering_several_beds_gives_each_waiting_booking_its_best(campus: Campus) -> None:
    hall = campus.building()
    room = campus.room(hall, "101", beds=2)
    beds = [bed.id for bed in campus.beds_of(room)]
    first = await campus.confirmed(campus.resident("001"))
    second = await campus.confirmed(campus.resident("002"))
    waiting = []
    for student in ("003", "004", "005"):
        campus.clock.advance(timedelta(minutes=1))  # first come, first served
        waiting.append(await campus.booked(campus.resident(student)))
    campus.put(first, state=BookingState.CANCELLED)
    campus.put(second, state=BookingState.CANCELLED)

    held = await campus.offer_beds(beds, DateRange(STAY["starts_on"], STAY["ends_on"]))

    assert [b.id for b in held] == [waiting[0].id, waiting[1].id]
    assert {b.bed_id for b in held} == set(beds)
    assert campus.stored(waiting[2].id).state is BookingState.WAITLISTED
    assert await campus.offer_beds(beds, DateRange(STAY["starts_on"], STAY["ends_on"])) == []
