"""Shortcuts of the maintenance HTTP tests: a hall with a room the resident lives in, a
technician with a profile, and the emails queued so far."""

from datetime import date
from uuid import UUID

from domain.bookings.model import Booking, BookingState
from domain.shared.dates import DateRange
from entrypoints.container import Container
from tests.fakes import (
    FixedClock,
    InMemoryAccountsStore,
    InMemoryBookingStore,
    InMemoryHousingStore,
)
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import DOUBLE_ROOM, NORTH_HALL

LEAK: Json = {"category": "plumbing", "priority": "high", "description": "The tap drips"}


async def a_room(staff: Caller) -> Json:
    building = (await staff.post("/api/buildings", json=NORTH_HALL)).json()
    response = await staff.post("/api/rooms", json={**DOUBLE_ROOM, "building_id": building["id"]})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def move_in(
    housing: InMemoryHousingStore,
    bookings: InMemoryBookingStore,
    clock: FixedClock,
    resident_id: str,
    room: Json,
) -> None:
    """The resident is checked in to a bed of `room`."""
    bed = next(b for b in housing.tables.beds.values() if str(b.room_id) == room["id"])
    booking = Booking(
        resident_id=UUID(resident_id),
        stay=DateRange(date(2026, 8, 25), date(2026, 12, 19)),
        requested_at=clock.now(),
        state=BookingState.CHECKED_IN,
        bed_id=bed.id,
    )
    bookings.rows[booking.id] = booking


async def a_technician(staff: Caller, technician: Caller, *skills: str) -> Json:
    body = {"user_id": technician.user_id, "name": "Tess Fixit", "skills": list(skills)}
    response = await staff.post("/api/technicians", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def triaged(container: Container, request_id: str) -> None:
    """Runs the triage task the POST kicked, as a worker would."""
    await container.maintenance.triage_maintenance_request()(UUID(request_id))


def emails(accounts: InMemoryAccountsStore) -> list[tuple[str, str]]:
    """(kind, address) of every maintenance notification queued."""
    return [
        (n.kind, n.recipient_address)
        for n in accounts.notifications.all()
        if n.kind.startswith("maintenance_")
    ]
