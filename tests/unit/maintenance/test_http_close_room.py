"""A repair that takes the room out of use: the office closes the request's room through the
bookings closures, which refuse to close over the resident's bed unless forced, and then email
the resident; the request's history keeps the closure."""

import pytest

from tests.fakes import (
    FixedClock,
    InMemoryAccountsStore,
    InMemoryBookingStore,
    InMemoryHousingStore,
)
from tests.unit.accounts_api import Caller, Json
from tests.unit.maintenance.kit import LEAK, a_room, move_in

REPAIR = {"starts_on": "2026-09-07", "ends_on": "2026-09-10"}


@pytest.fixture
async def request_in_room(
    staff: Caller,
    resident: Caller,
    store: InMemoryHousingStore,
    booking_store: InMemoryBookingStore,
    clock: FixedClock,
    resident_record: Json,
) -> tuple[Json, Json]:
    """The resident's request about the room they live in."""
    room = await a_room(staff)
    move_in(store, booking_store, clock, resident_record["id"], room)
    submitted = await resident.post("/api/maintenance-requests", json=LEAK)
    assert submitted.status_code == 202, submitted.text
    return submitted.json(), room


async def test_closing_over_the_residents_bed_needs_force_then_emails_them(
    staff: Caller,
    request_in_room: tuple[Json, Json],
    resident_record: Json,
    accounts_store: InMemoryAccountsStore,
) -> None:
    request, room = request_in_room
    url = f"/api/maintenance-requests/{request['id']}/close-room"

    refused = await staff.post(url, json=REPAIR)
    forced = await staff.post(url, json={**REPAIR, "force": True})

    assert refused.status_code == 409
    assert [a["resident_id"] for a in refused.json()["affected"]] == [resident_record["id"]]
    assert forced.status_code == 201, forced.text
    closure = forced.json()
    assert (closure["target"], closure["target_id"]) == ("room", room["id"])
    assert (closure["starts_on"], closure["ends_on"]) == ("2026-09-07", "2026-09-10")
    assert closure["reason"].startswith("maintenance request ")
    listed = (await staff.get("/api/closures")).json()["items"]
    assert [c["id"] for c in listed] == [closure["id"]]
    notices = [n for n in accounts_store.notifications.all() if n.kind == "closure_notice"]
    assert [n.recipient_address for n in notices] == ["ada.okafor@example.edu"]
    history = (await staff.get(f"/api/maintenance-requests/{request['id']}")).json()["history"]
    assert history[-1]["action"] == "close_room"
    assert closure["id"] in history[-1]["note"]


async def test_one_bed_may_be_closed_instead_of_the_room(
    staff: Caller, request_in_room: tuple[Json, Json], store: InMemoryHousingStore
) -> None:
    request, room = request_in_room
    free_bed = [b for b in store.tables.beds.values() if str(b.room_id) == room["id"]][1]

    response = await staff.post(
        f"/api/maintenance-requests/{request['id']}/close-room",
        json={**REPAIR, "bed_id": str(free_bed.id)},
    )

    assert response.status_code == 201, response.text
    assert (response.json()["target"], response.json()["target_id"]) == ("bed", str(free_bed.id))


async def test_only_the_office_closes_and_only_for_open_requests(
    staff: Caller, resident: Caller, request_in_room: tuple[Json, Json]
) -> None:
    request, _ = request_in_room
    url = f"/api/maintenance-requests/{request['id']}/close-room"

    by_resident = await resident.post(url, json=REPAIR)
    bad_dates = await staff.post(url, json={"starts_on": "2026-09-10", "ends_on": "2026-09-07"})
    unknown_field = await staff.post(url, json={**REPAIR, "colour": "red"})
    await staff.post(f"/api/maintenance-requests/{request['id']}/cancel")
    after_cancel = await staff.post(url, json={**REPAIR, "force": True})

    assert by_resident.status_code == 403
    assert bad_dates.status_code == 422
    assert unknown_field.status_code == 422
    assert "colour" in unknown_field.text
    assert after_cancel.status_code == 409
