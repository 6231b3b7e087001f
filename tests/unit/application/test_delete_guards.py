"""A resident, bed or room that bookings name is never deleted: 409 naming why, nothing gone."""

from datetime import UTC, date, datetime
from uuid import UUID

import pytest

from domain.bookings.model import Booking, BookingState
from domain.housing.errors import HasBookings
from domain.shared.dates import DateRange
from tests.unit.application.kit import Housing

STAY = DateRange(date(2026, 9, 21), date(2026, 12, 19))


def booked(housing: Housing, resident_id: UUID, bed_id: UUID, state: BookingState) -> None:
    booking = Booking(
        resident_id=resident_id,
        stay=STAY,
        requested_at=datetime(2026, 9, 1, tzinfo=UTC),
        state=state,
        bed_id=bed_id,
    )
    housing.bookings.rows[booking.id] = booking


async def furnished(housing: Housing, state: BookingState) -> tuple[UUID, UUID, UUID]:
    """(resident, room, bed) with one booking in `state` on the room's first bed."""
    room = await housing.room(await housing.building())
    bed = (await housing.list_beds(room.id))[0]
    resident = await housing.resident()
    booked(housing, resident.id, bed.id, state)
    return resident.id, room.id, bed.id


@pytest.mark.parametrize("state", [BookingState.HELD, BookingState.CHECKED_IN])
async def test_an_active_booking_keeps_its_resident_bed_and_room(
    housing: Housing, state: BookingState
) -> None:
    resident_id, room_id, bed_id = await furnished(housing, state)
    before = housing.counts()

    with pytest.raises(HasBookings, match="1 active bookings") as resident_refusal:
        await housing.delete_resident(resident_id)
    with pytest.raises(HasBookings, match="active") as bed_refusal:
        await housing.remove_bed(room_id, bed_id)
    with pytest.raises(HasBookings, match="active"):
        await housing.delete_room(room_id)

    assert housing.counts() == before
    assert (resident_refusal.value.field, resident_refusal.value.record) == ("bookings", "resident")
    assert bed_refusal.value.record == "bed"


async def test_a_finished_booking_keeps_the_history_and_says_what_to_do_instead(
    housing: Housing,
) -> None:
    resident_id, room_id, bed_id = await furnished(housing, BookingState.CHECKED_OUT)

    with pytest.raises(HasBookings, match="status to former"):
        await housing.delete_resident(resident_id)
    with pytest.raises(HasBookings, match="out of service"):
        await housing.remove_bed(room_id, bed_id)
    with pytest.raises(HasBookings, match="close the room"):
        await housing.delete_room(room_id)


async def test_records_no_booking_names_are_deleted(housing: Housing) -> None:
    _, room_id, bed_id = await furnished(housing, BookingState.CONFIRMED)
    other_bed = (await housing.list_beds(room_id))[1]
    stranger = await housing.resident(student_id="999", email="bo@example.edu")

    await housing.remove_bed(room_id, other_bed.id)
    await housing.delete_resident(stranger.id)

    assert [bed.id for bed in await housing.list_beds(room_id)] == [bed_id]
    assert housing.counts()["residents"] == 1
