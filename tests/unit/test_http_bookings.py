"""Bookings over HTTP: 202 with a job, who may book and read what, 422s that name the field."""

from uuid import UUID, uuid4

from entrypoints.container import Container
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import DOUBLE_ROOM, NORTH_HALL, error_fields, problem_of

STAY: Json = {"starts_on": "2026-09-21", "ends_on": "2026-12-19"}


async def a_double_room(staff: Caller) -> Json:
    building = (await staff.post("/api/buildings", json=NORTH_HALL)).json()
    response = await staff.post("/api/rooms", json={**DOUBLE_ROOM, "building_id": building["id"]})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def a_booking(caller: Caller, container: Container, **body: object) -> Json:
    """A request, allocated as the worker would."""
    response = await caller.post("/api/bookings", json={**STAY, **body})
    assert response.status_code == 202, response.text
    requested: Json = response.json()
    await container.bookings.allocate_booking()(UUID(requested["id"]))
    return requested


async def a_stranger(staff: Caller) -> str:
    response = await staff.post(
        "/api/residents",
        json={"student_id": "777", "first_name": "Bo", "last_name": "Li", "email": "bo@e.edu"},
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_resident_requests_a_bed_and_follows_the_job(
    resident: Caller, staff: Caller, container: Container, resident_record: Json
) -> None:
    await a_double_room(staff)

    response = await resident.post("/api/bookings", json=STAY)

    assert response.status_code == 202, response.text
    body = response.json()
    assert (body["state"], body["resident_id"]) == ("requested", resident_record["id"])
    assert ("bookings.allocate", {"booking_id": body["id"]}) in (
        container.background_tasks().enqueued
    )
    await container.bookings.allocate_booking()(UUID(body["id"]))
    job = (await resident.get(f"/api/jobs/{body['job_id']}")).json()
    assert (job["state"], job["result"]["state"]) == ("succeeded", "held")
    booking = (await resident.get(f"/api/bookings/{body['id']}")).json()
    assert booking["bed_id"] == job["result"]["bed_id"]


async def test_the_office_books_for_a_resident_and_must_name_them(
    staff: Caller, resident_record: Json
) -> None:
    ok = await staff.post("/api/bookings", json={**STAY, "resident_id": resident_record["id"]})

    assert ok.status_code == 202, ok.text
    assert error_fields(await staff.post("/api/bookings", json=STAY), 422) == ["resident_id"]


async def test_a_resident_cannot_book_for_another_and_a_technician_not_at_all(
    resident: Caller, technician: Caller, staff: Caller
) -> None:
    stranger = await a_stranger(staff)

    problem_of(await resident.post("/api/bookings", json={**STAY, "resident_id": stranger}), 404)
    problem_of(await technician.post("/api/bookings", json=STAY), 403)
    problem_of(await technician.get("/api/bookings"), 403)
    problem_of(await technician.get("/api/availability", params=STAY), 403)


async def test_bad_requests_answer_422_naming_the_field(resident: Caller, staff: Caller) -> None:
    room = await a_double_room(staff)
    cases: list[tuple[Json, str]] = [
        ({"term_id": str(uuid4())}, "term_id"),
        ({**STAY, "bed_id": str(uuid4())}, "bed_id"),
        ({**STAY, "room_id": str(uuid4())}, "room_id"),
        ({**STAY, "room_id": room["id"], "preferences": {}}, "preferences"),
        ({**STAY, "preferences": {"building_id": str(uuid4())}}, "preferences.building_id"),
        ({**STAY, "starts_on": "2026-08-01"}, "starts_on"),
        ({"starts_on": "2026-09-21"}, "ends_on"),
        ({**STAY, "bunk": "top"}, "bunk"),
    ]
    for body, field in cases:
        assert error_fields(await resident.post("/api/bookings", json=body), 422) == [field], body


async def test_residents_list_and_read_only_their_own_bookings(
    resident: Caller, staff: Caller, container: Container, resident_record: Json
) -> None:
    await a_double_room(staff)
    stranger = await a_stranger(staff)
    own = await a_booking(resident, container)
    theirs = await a_booking(staff, container, resident_id=stranger)

    listed = (await resident.get("/api/bookings")).json()
    everyone = (await staff.get("/api/bookings", params={"state": "held"})).json()

    assert [item["id"] for item in listed["items"]] == [own["id"]]
    assert everyone["total"] == 2
    problem_of(await resident.get(f"/api/bookings/{theirs['id']}"), 404)
    problem_of(await resident.get("/api/bookings", params={"resident_id": stranger}), 404)
    mine = await resident.get("/api/bookings", params={"resident_id": resident_record["id"]})
    assert mine.json()["total"] == 1


async def test_cancelling_frees_the_bed_for_the_dates(
    resident: Caller, staff: Caller, container: Container
) -> None:
    room = await a_double_room(staff)
    booking = await a_booking(resident, container, room_id=room["id"])
    before = (await resident.get("/api/availability", params=STAY)).json()

    cancelled = await resident.post(f"/api/bookings/{booking['id']}/cancel", json={"reason": "no"})
    again = await staff.post(f"/api/bookings/{booking['id']}/cancel")

    assert cancelled.status_code == 200, cancelled.text
    assert (cancelled.json()["state"], cancelled.json()["reason"]) == ("cancelled", "no")
    problem_of(again, 409)
    after = (await resident.get("/api/availability", params=STAY)).json()
    assert (before["free"], after["free"]) == (1, 2)
    assert after["counts"] == [
        {"building_id": room["building_id"], "room_type": "double", "free": 2}
    ]


async def test_availability_needs_dates_in_order(staff: Caller) -> None:
    reversed_dates = {"starts_on": "2026-12-19", "ends_on": "2026-09-21"}

    assert error_fields(await staff.get("/api/availability", params=reversed_dates), 422) == [
        "ends_on"
    ]
    problem_of(await staff.get("/api/availability"), 422)
