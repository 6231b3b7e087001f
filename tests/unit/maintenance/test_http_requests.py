"""Maintenance requests over HTTP on the fakes: a resident's request from submission to
closing, who sees and does what, and the 4xx answers."""

from datetime import timedelta
from uuid import UUID, uuid4

import pytest

from domain.maintenance.model import RequestState
from entrypoints.container import Container
from tests.fakes import (
    FixedClock,
    InMemoryAccountsStore,
    InMemoryBookingStore,
    InMemoryHousingStore,
    InMemoryMaintenanceStore,
)
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import error_fields, problem_of
from tests.unit.maintenance.kit import LEAK, a_room, a_technician, emails, move_in, triaged

RESOLUTION: Json = {
    "labour_hours": "1.5",
    "parts": [{"name": "washer", "cost": {"amount": "2.50", "currency": "EUR"}}],
    "actual_cost": {"amount": "62.50", "currency": "EUR"},
    "note": "new washer",
}


@pytest.fixture
async def room(
    staff: Caller,
    store: InMemoryHousingStore,
    booking_store: InMemoryBookingStore,
    clock: FixedClock,
    resident_record: Json,
) -> Json:
    """A room the resident lives in."""
    room = await a_room(staff)
    move_in(store, booking_store, clock, resident_record["id"], room)
    return room


async def test_a_residents_request_is_triaged_worked_on_and_closed(
    resident: Caller,
    staff: Caller,
    technician: Caller,
    container: Container,
    accounts_store: InMemoryAccountsStore,
    room: Json,
) -> None:
    await a_technician(staff, technician, "plumbing")

    submitted = await resident.post("/api/maintenance-requests", json=LEAK)

    assert submitted.status_code == 202, submitted.text
    body = submitted.json()
    assert (body["state"], body["room_id"]) == ("submitted", room["id"])
    assert (
        "maintenance.triage",
        {"request_id": body["id"]},
    ) in container.background_tasks().enqueued
    await triaged(container, body["id"])
    job = (await resident.get(f"/api/jobs/{body['job_id']}")).json()
    assert (job["state"], job["result"]["state"]) == ("succeeded", "assigned")
    url = f"/api/maintenance-requests/{body['id']}"
    read = (await technician.get(url)).json()
    assert (read["technician_id"], read["due_at"]) == (technician.user_id, "2026-09-02T09:00:00Z")
    assert read["estimated_cost"] == {"amount": "125.00", "currency": "EUR"}
    assert sorted(emails(accounts_store)) == [
        ("maintenance_assigned", "technician@example.edu"),
        ("maintenance_received", "ada.okafor@example.edu"),
    ]

    for step, json in [("start", None), ("hold", {"note": "part ordered"}), ("resume", None)]:
        response = await technician.post(f"{url}/{step}", json=json)
        assert response.status_code == 200, response.text
    resolved = await technician.post(f"{url}/resolve", json=RESOLUTION)
    closed = await resident.post(f"{url}/close")
    rated = await resident.post(f"{url}/rate", json={"rating": 5})

    assert resolved.json()["actual_cost"] == {"amount": "62.50", "currency": "EUR"}
    assert (closed.json()["state"], rated.json()["rating"]) == ("closed", 5)
    history = (await resident.get(url)).json()["history"]
    assert [h["action"] for h in history] == [
        "submit",
        "triage",
        "assign",
        "start",
        "hold",
        "resume",
        "resolve",
        "close",
        "rate",
    ]
    assert history[4]["note"] == "part ordered"
    assert history[4]["actor_id"] == technician.user_id


async def test_without_a_technician_the_office_is_alerted(
    resident: Caller,
    staff: Caller,
    container: Container,
    accounts_store: InMemoryAccountsStore,
    room: Json,
) -> None:
    body = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    await triaged(container, body["id"])
    await triaged(container, body["id"])  # a second delivery changes nothing

    read = (await staff.get(f"/api/maintenance-requests/{body['id']}")).json()
    assert (read["state"], read["technician_id"]) == ("submitted", None)
    sent = emails(accounts_store)
    assert sent.count(("maintenance_unassigned", "staff@example.edu")) == 1
    assert sent.count(("maintenance_received", "ada.okafor@example.edu")) == 1


async def test_a_resident_without_a_room_today_gets_422(resident: Caller) -> None:
    assert error_fields(await resident.post("/api/maintenance-requests", json=LEAK), 422) == [
        "room_id"
    ]


async def test_bad_requests_name_the_field(resident: Caller, staff: Caller, room: Json) -> None:
    cases: list[tuple[Caller, Json, str]] = [
        (resident, {**LEAK, "room_id": room["id"]}, "room_id"),
        (resident, {**LEAK, "category": "dragons"}, "category"),
        (resident, {**LEAK, "colour": "red"}, "colour"),
        (staff, LEAK, "room_id"),
        (staff, {**LEAK, "building_id": str(uuid4())}, "building_id"),
        (staff, {**LEAK, "room_id": room["id"], "building_id": str(uuid4())}, "room_id"),
    ]
    for caller, body, field in cases:
        response = await caller.post("/api/maintenance-requests", json=body)
        assert error_fields(response, 422) == [field], body


async def test_each_role_sees_only_its_own_requests(
    resident: Caller,
    staff: Caller,
    technician: Caller,
    container: Container,
    room: Json,
) -> None:
    await a_technician(staff, technician, "plumbing")
    own = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    office = await staff.post(
        "/api/maintenance-requests",
        json={**LEAK, "category": "locks", "building_id": room["building_id"]},
    )
    other = office.json()
    await triaged(container, own["id"])
    await triaged(container, other["id"])

    def ids(response: object) -> list[str]:
        return [item["id"] for item in response.json()["items"]]  # type: ignore[attr-defined]

    assert ids(await resident.get("/api/maintenance-requests")) == [own["id"]]
    assert ids(await technician.get("/api/maintenance-requests")) == [own["id"]]
    assert set(ids(await staff.get("/api/maintenance-requests"))) == {own["id"], other["id"]}
    problem_of(await resident.get(f"/api/maintenance-requests/{other['id']}"), 404)
    problem_of(await technician.get(f"/api/maintenance-requests/{other['id']}"), 404)
    locks = await staff.get("/api/maintenance-requests", params={"category": "locks"})
    assert ids(locks) == [other["id"]]


async def test_illegal_and_forbidden_steps(
    resident: Caller, staff: Caller, technician: Caller, container: Container, room: Json
) -> None:
    await a_technician(staff, technician, "plumbing")
    body = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    url = f"/api/maintenance-requests/{body['id']}"

    problem_of(await staff.post(f"{url}/start"), 409)  # not assigned yet
    await triaged(container, body["id"])
    problem_of(await resident.post(f"{url}/start"), 403)
    problem_of(await technician.post(f"{url}/close"), 403)
    problem_of(await technician.post(f"{url}/resolve", json=RESOLUTION), 409)
    assert error_fields(await technician.post(f"{url}/hold"), 409) == ["state"]
    await technician.post(f"{url}/start")
    assert error_fields(await technician.post(f"{url}/hold"), 422) == ["note"]
    problem_of(await resident.post(f"{url}/cancel"), 409)  # work has started
    assert (await staff.post(f"{url}/cancel", json={"note": "duplicate"})).json()["state"] == (
        "cancelled"
    )
    problem_of(await resident.post(f"{url}/rate", json={"rating": 4}), 409)


async def test_the_office_assigns_by_hand_to_an_active_technician(
    resident: Caller,
    staff: Caller,
    technician: Caller,
    container: Container,
    accounts_store: InMemoryAccountsStore,
    room: Json,
) -> None:
    body = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    await triaged(container, body["id"])  # no technician yet
    url = f"/api/maintenance-requests/{body['id']}"
    await a_technician(staff, technician, "electrical")

    unknown = await staff.post(f"{url}/assign", json={"technician_id": str(uuid4())})
    assigned = await staff.post(f"{url}/assign", json={"technician_id": technician.user_id})

    assert error_fields(unknown, 422) == ["technician_id"]
    assert assigned.json()["state"] == "assigned"
    assert {
        ("maintenance_status", "ada.okafor@example.edu"),
        ("maintenance_assigned", "technician@example.edu"),
    } <= set(emails(accounts_store))
    queue = (await technician.get(f"/api/technicians/{technician.user_id}/queue")).json()
    assert [item["id"] for item in queue["items"]] == [body["id"]]


async def test_escalation_emails_the_office_once_per_level(
    resident: Caller,
    staff: Caller,
    container: Container,
    accounts_store: InMemoryAccountsStore,
    clock: FixedClock,
    maintenance_store: InMemoryMaintenanceStore,
    room: Json,
) -> None:
    body = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    await triaged(container, body["id"])
    escalate = container.maintenance.escalate_overdue_maintenance()

    assert await escalate() == 0
    clock.advance(timedelta(hours=24))
    assert [await escalate(), await escalate()] == [1, 0]
    clock.advance(timedelta(hours=24))
    assert await escalate() == 1

    # Tokens expired while the clock moved: read the store.
    stored = maintenance_store.tables.requests[UUID(body["id"])]
    assert (stored.overdue, stored.escalation_level) == (True, 2)
    assert emails(accounts_store).count(("maintenance_overdue", "staff@example.edu")) == 2


async def test_resolved_work_closes_by_itself_after_the_configured_days(
    resident: Caller,
    staff: Caller,
    technician: Caller,
    container: Container,
    clock: FixedClock,
    maintenance_store: InMemoryMaintenanceStore,
    room: Json,
) -> None:
    await a_technician(staff, technician, "plumbing")
    body = (await resident.post("/api/maintenance-requests", json=LEAK)).json()
    await triaged(container, body["id"])
    url = f"/api/maintenance-requests/{body['id']}"
    await technician.post(f"{url}/start")
    await technician.post(f"{url}/resolve", json=RESOLUTION)
    close = container.maintenance.close_resolved_maintenance()

    clock.advance(timedelta(days=6))
    assert await close() == 0
    clock.advance(timedelta(days=2))
    assert [await close(), await close()] == [1, 0]
    stored = maintenance_store.tables
    assert stored.requests[UUID(body["id"])].state is RequestState.CLOSED
    assert (stored.history[-1].action, stored.history[-1].actor_id) == ("close", None)
