"""A bed freed by an expired hold or a cancellation is offered to the waitlist, first come
first served among the bookings it answers."""

from datetime import date, timedelta

from application.bookings.commands import CancelBookingCommand
from domain.bookings.model import BookingState
from tests.unit.bookings.kit import HOLD, STAFF, Campus


async def test_an_expired_hold_goes_to_the_longest_waiting_booking_it_answers(
    campus: Campus,
) -> None:
    hall = campus.building()
    room = campus.room(hall, "101", beds=1)
    other_room = campus.room(hall, "102", beds=1)
    held = await campus.booked(campus.resident("001"), room_id=room.id)
    await campus.booked(campus.resident("002"), room_id=other_room.id)
    wants_other_room = await campus.booked(campus.resident("003"), room_id=other_room.id)
    campus.clock.advance(timedelta(minutes=1))
    first_fitting = await campus.booked(campus.resident("004"))
    campus.clock.advance(timedelta(minutes=1))
    later = await campus.booked(campus.resident("005"))
    assert {wants_other_room.state, first_fitting.state, later.state} == {BookingState.WAITLISTED}
    campus.clock.advance(HOLD)

    assert await campus.expire_holds() == 2  # both holds lapsed; only room 101's bed fits

    offered = campus.stored(first_fitting.id)
    assert campus.stored(held.id).state is BookingState.EXPIRED
    assert (offered.state, offered.bed_id) == (BookingState.HELD, campus.beds_of(room)[0].id)
    assert offered.hold_expires_at == campus.clock.now() + HOLD
    assert offered.waitlisted_at == first_fitting.waitlisted_at
    assert campus.stored(later.id).state is BookingState.WAITLISTED
    events = campus.events.on(f"residents.{first_fitting.resident_id}")
    assert [event["state"] for event in events] == ["waitlisted", "held"]


async def test_a_cancellation_offers_the_bed_through_a_task_once(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    held = await campus.booked(campus.resident("001"))
    waiting = await campus.booked(campus.resident("002"))

    await campus.cancel(STAFF, held.id, CancelBookingCommand())

    assert campus.tasks.enqueued[-1] == ("bookings.offer_freed_bed", {"booking_id": str(held.id)})
    offered = await campus.offer(held.id)
    assert offered is not None
    assert offered.id == waiting.id
    assert await campus.offer(held.id) is None  # run again: the bed is no longer free
    assert campus.stored(waiting.id).state is BookingState.HELD


async def test_a_waitlisted_booking_is_skipped_when_the_bed_is_not_free_for_its_stay(
    campus: Campus,
) -> None:
    campus.room(campus.building(), beds=1)
    held = await campus.booked(campus.resident("001"))
    longer = await campus.booked(
        campus.resident("002"), starts_on=date(2026, 9, 21), ends_on=date(2027, 3, 1)
    )
    # The bed is taken from the end of the first stay on: only the first stay's nights free up.
    await campus.booked(
        campus.resident("003"), starts_on=date(2026, 12, 19), ends_on=date(2027, 2, 1)
    )
    same_dates = await campus.booked(campus.resident("004"))

    await campus.cancel(STAFF, held.id, CancelBookingCommand())
    offered = await campus.offer(held.id)

    assert offered is not None
    assert offered.id == same_dates.id
    assert campus.stored(longer.id).state is BookingState.WAITLISTED


async def test_a_resident_housed_meanwhile_is_not_offered_a_second_bed(campus: Campus) -> None:
    hall = campus.building()
    first_room = campus.room(hall, "101", beds=1)
    held = await campus.booked(campus.resident("001"), room_id=first_room.id)
    waiting_resident = campus.resident("002")
    waiting = await campus.booked(waiting_resident, room_id=first_room.id)
    second_room = campus.room(hall, "102", beds=1)
    await campus.booked(
        waiting_resident,
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 1),
        room_id=second_room.id,
    )

    await campus.cancel(STAFF, held.id, CancelBookingCommand())

    assert await campus.offer(held.id) is None
    assert campus.stored(waiting.id).state is BookingState.WAITLISTED


async def test_a_waitlisted_booking_reads_with_its_place_in_line(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    await campus.booked(campus.resident("001"))
    first = await campus.booked(campus.resident("002"))
    campus.clock.advance(timedelta(minutes=1))
    second = await campus.booked(campus.resident("003"))
    # Waiting for other nights: not in the same line.
    await campus.booked(
        campus.resident("004"), starts_on=date(2027, 1, 4), ends_on=date(2027, 2, 1)
    )

    assert (await campus.get(STAFF, first.id)).waitlist_position == 1
    assert (await campus.get(STAFF, second.id)).waitlist_position == 2
    held = next(b for b in campus.store.rows.values() if b.state is BookingState.HELD)
    assert (await campus.get(STAFF, held.id)).waitlist_position is None
