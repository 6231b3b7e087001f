"""Check-in, check-out, moves, closures, the occupancy report and the housing delete guards
over HTTP: the office only (403 for residents), 409 and 422 as problem documents."""

from dataclasses import replace
from uuid import UUID, uuid4

from domain.bookings.model import BookingState
from entrypoints.container import Container
from tests.fakes import InMemoryBookingStore
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import error_fields, problem_of
from tests.unit.test_http_bookings import STAY, a_booking, a_double_room


def confirm(store: InMemoryBookingStore, booking_id: str) -> None:
    """What the payment use case does to a held booking."""
    held = store.rows[UUID(booking_id)]
    store.rows[held.id] = replace(held, state=BookingState.CONFIRMED, hold_expires_at=None)


async def test_the_office_checks_a_resident_in_and_out(
    staff: Caller, resident: Caller, container: Container, booking_store: InMemoryBookingStore
) -> None:
    await a_double_room(staff)
    booking = await a_booking(resident, container)
    url = f"/api/bookings/{booking['id']}"

    problem_of(await staff.post(f"{url}/check-in", json={"on": "2026-09-21"}), 409)  # unpaid
    confirm(booking_store, booking["id"])
    problem_of(await resident.post(f"{url}/check-in", json={"on": "2026-09-21"}), 403)
    arrived = await staff.post(f"{url}/check-in", json={"on": "2026-09-21"})
    left = await staff.post(f"{url}/check-out", json={"on": "2026-12-20"})

    assert arrived.status_code == 200, arrived.text
    assert (arrived.json()["state"], arrived.json()["checked_in_on"]) == (
        "checked_in",
        "2026-09-21",
    )
    assert (left.json()["state"], left.json()["checked_out_on"]) == ("checked_out", "2026-12-20")
    conflict = problem_of(await staff.post(f"{url}/check-out"), 409)
    assert conflict["errors"] == [{"field": "state", "message": conflict["detail"]}]


async def test_check_in_bodies_are_checked(
    staff: Caller, resident: Caller, container: Container, booking_store: InMemoryBookingStore
) -> None:
    await a_double_room(staff)
    booking = await a_booking(resident, container)
    confirm(booking_store, booking["id"])
    url = f"/api/bookings/{booking['id']}/check-in"

    assert error_fields(await staff.post(url, json={"on": "2027-01-01"}), 422) == ["on"]
    assert error_fields(await staff.post(url, json={"on": "soon"}), 422) == ["on"]
    assert error_fields(await staff.post(url, json={"day": "2026-09-21"}), 422) == ["day"]
    problem_of(await staff.post(f"/api/bookings/{uuid4()}/check-in"), 404)


async def test_the_office_moves_a_booking_and_a_clash_names_the_bed(
    staff: Caller, resident: Caller, container: Container, booking_store: InMemoryBookingStore
) -> None:
    room = await a_double_room(staff)
    beds = (await staff.get(f"/api/rooms/{room['id']}/beds")).json()
    mine = await a_booking(resident, container, bed_id=beds[0]["id"])
    other = await staff.post(
        "/api/residents",
        json={"student_id": "777", "first_name": "Bo", "last_name": "Li", "email": "bo@e.edu"},
    )
    theirs = await a_booking(staff, container, resident_id=other.json()["id"])
    url = f"/api/bookings/{mine['id']}/move"

    problem_of(await resident.post(url, json={"bed_id": beds[1]["id"]}), 403)
    clash = problem_of(await staff.post(url, json={"bed_id": beds[1]["id"]}), 409)
    assert [error["field"] for error in clash["errors"]] == ["bed_id"]
    await staff.post(f"/api/bookings/{theirs['id']}/cancel")
    moved = await staff.post(url, json={"bed_id": beds[1]["id"]})

    assert (moved.status_code, moved.json()["bed_id"]) == (200, beds[1]["id"])
    assert error_fields(await staff.post(url, json={"bed_id": str(uuid4())}), 422) == ["bed_id"]
    assert error_fields(await staff.post(url, json={}), 422) == ["bed_id"]
    assert booking_store.rows[UUID(mine["id"])].bed_id == UUID(beds[1]["id"])


def a_closure(room: Json, **changes: object) -> Json:
    return {
        "target": "room",
        "target_id": room["id"],
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-15",
        "reason": "water damage",
        **changes,
    }


async def test_a_closure_over_bookings_answers_409_listing_them_unless_forced(
    staff: Caller, resident: Caller, container: Container, resident_record: Json
) -> None:
    room = await a_double_room(staff)
    booking = await a_booking(resident, container)

    refused = problem_of(await staff.post("/api/closures", json=a_closure(room)), 409)
    forced = await staff.post("/api/closures", json=a_closure(room, force=True))

    assert refused["errors"][0]["field"] == "force"
    (affected,) = refused["affected"]
    assert (affected["booking_id"], affected["resident_id"], affected["name"]) == (
        booking["id"],
        resident_record["id"],
        "Ada Okafor",
    )
    assert forced.status_code == 201, forced.text
    closure = forced.json()
    assert (closure["building_id"], closure["ends_on"]) == (room["building_id"], "2026-10-15")
    assert (await staff.get(f"/api/closures/{closure['id']}")).json() == closure
    listed = await staff.get("/api/closures", params={"active_on": "2026-10-14"})
    assert [item["id"] for item in listed.json()["items"]] == [closure["id"]]
    free = await staff.get("/api/availability", params={**STAY, "room_type": "double"})
    assert free.json()["free"] == 0  # one bed booked, the other closed for part of the stay
    assert (await staff.delete(f"/api/closures/{closure['id']}")).status_code == 204
    problem_of(await staff.get(f"/api/closures/{closure['id']}"), 404)


async def test_closures_and_reports_are_for_the_office_only(
    staff: Caller, resident: Caller
) -> None:
    room = await a_double_room(staff)

    problem_of(await resident.post("/api/closures", json=a_closure(room)), 403)
    problem_of(await resident.get("/api/closures"), 403)
    problem_of(await resident.get("/api/reports/occupancy", params={"date": "2026-10-01"}), 403)
    fields = error_fields(
        await staff.post("/api/closures", json=a_closure(room, target="wing")), 422
    )
    assert fields == ["target"]
    missing = a_closure(room, target="building")
    assert error_fields(await staff.post("/api/closures", json=missing), 422) == ["target_id"]
    problem_of(await staff.get("/api/reports/occupancy"), 422)


async def test_the_occupancy_report_counts_beds_per_building_and_type(
    staff: Caller, resident: Caller, container: Container, booking_store: InMemoryBookingStore
) -> None:
    room = await a_double_room(staff)
    booking = await a_booking(resident, container)
    confirm(booking_store, booking["id"])

    report = await staff.get("/api/reports/occupancy", params={"date": "2026-10-01"})

    assert report.status_code == 200, report.text
    (row,) = report.json()["rows"]
    assert row == {
        "building_id": room["building_id"],
        "building_code": "NH",
        "room_type": "double",
        "beds": 2,
        "occupied": 1,
        "held": 0,
        "closed": 0,
        "free": 1,
        "occupancy_percent": "50.0",
    }
    assert report.json()["total"]["occupancy_percent"] == "50.0"


async def test_deleting_what_bookings_name_answers_409_with_the_reason(
    staff: Caller, resident: Caller, container: Container, resident_record: Json
) -> None:
    room = await a_double_room(staff)
    booking = await a_booking(resident, container)
    bed_id = (await staff.get(f"/api/bookings/{booking['id']}")).json()["bed_id"]

    for url in (
        f"/api/residents/{resident_record['id']}",
        f"/api/rooms/{room['id']}/beds/{bed_id}",
        f"/api/rooms/{room['id']}",
    ):
        refused = problem_of(await staff.delete(url), 409)
        assert "1 active bookings" in refused["detail"], url
        assert refused["errors"][0]["field"] == "bookings"
    await staff.post(f"/api/bookings/{booking['id']}/cancel")
    history = problem_of(await staff.delete(f"/api/rooms/{room['id']}"), 409)
    assert "close the room" in history["detail"]
    assert (await staff.get(f"/api/residents/{resident_record['id']}")).status_code == 200
