"""Who an announcement reaches, alike on the fakes, SQLite and PostgreSQL: the residents living
in a building on a day (checked in, or confirmed for a stay including it), with their contact."""

from datetime import date

import pytest

from domain.bookings.model import BookingState
from domain.housing.model import Bed, ResidentStatus
from domain.notifications.announcements import Audience, AudienceKind, ContactDetails
from tests.integration.bookings_backends import BookingsBackend, bookings_backend
from tests.integration.housing_backends import ALL_BACKENDS, a_building, a_resident, a_room, saved
from tests.integration.test_booking_queries_contract import a_booking, stored

DAY = date(2026, 10, 1)


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> BookingsBackend:
    return bookings_backend(request)


async def test_a_building_audience_is_who_lives_there_that_day(backend: BookingsBackend) -> None:
    hall, other_hall = a_building("NH"), a_building("SH")
    room, other_room = a_room(hall), a_room(other_hall)
    beds = [Bed(room_id=room.id, label=label) for label in "AB"]
    elsewhere = Bed(room_id=other_room.id, label="A")
    living, only_held, away = (
        a_resident(f"0000000{i}", status=ResidentStatus.ACTIVE) for i in range(3)
    )
    await saved(
        backend.housing,
        hall,
        other_hall,
        room,
        other_room,
        *beds,
        elsewhere,
        living,
        only_held,
        away,
    )
    await stored(
        backend,
        a_booking(living.id, beds[0], state=BookingState.CONFIRMED, hold_expires_at=None),
        a_booking(only_held.id, beds[1]),
        a_booking(away.id, elsewhere, state=BookingState.CHECKED_IN, hold_expires_at=None),
    )
    directory = backend.audience
    audience = Audience(AudienceKind.BUILDING, building_id=hall.id)

    members = await directory.members(audience, DAY, None, 10)

    assert members == [
        ContactDetails(
            living.id, "Ada", "Okafor", living.email, None, email_opt_in=True, sms_opt_in=False
        )
    ]
    assert await directory.count(audience, DAY) == 1
    everyone = Audience(AudienceKind.ALL_RESIDENTS)
    assert await directory.count(everyone, DAY) == 3
