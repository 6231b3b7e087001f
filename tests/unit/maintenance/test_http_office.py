"""The office's maintenance endpoints on the fakes: technician profiles, preventive schedules
with their previews and work orders, and the report."""

from datetime import timedelta
from uuid import UUID

from entrypoints.container import Container
from tests.fakes import FixedClock, InMemoryMaintenanceStore
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import error_fields, problem_of
from tests.unit.maintenance.kit import a_room, a_technician

WEEKLY: Json = {
    "title": "Boiler check",
    "category": "heating",
    "recurrence": {"every": 1, "unit": "weeks"},
    "starts_on": "2026-09-03",
    "lead_days": 2,
    "estimated_cost": {"amount": "80.00", "currency": "EUR"},
}


async def test_technician_profiles_for_technician_accounts_only(
    staff: Caller, technician: Caller, resident: Caller
) -> None:
    created = await a_technician(staff, technician, "plumbing", "locks")
    url = f"/api/technicians/{technician.user_id}"

    again = await staff.post(
        "/api/technicians", json={"user_id": technician.user_id, "name": "X", "skills": []}
    )
    not_a_technician = await staff.post(
        "/api/technicians", json={"user_id": staff.user_id, "name": "X", "skills": []}
    )
    patched = await staff.patch(url, json={"active": False, "skills": ["heating"]})

    assert created == {
        "user_id": technician.user_id,
        "name": "Tess Fixit",
        "skills": ["locks", "plumbing"],
        "active": True,
        "open_assignments": 0,
    }
    problem_of(again, 409)
    assert error_fields(not_a_technician, 422) == ["user_id"]
    assert (patched.json()["active"], patched.json()["skills"]) == (False, ["heating"])
    assert (await staff.get("/api/technicians")).json()["total"] == 1
    problem_of(await technician.get("/api/technicians"), 403)
    problem_of(await resident.get(f"{url}/queue"), 403)
    problem_of(await technician.get(f"/api/technicians/{staff.user_id}/queue"), 404)
    assert (await staff.delete(url)).status_code == 204
    problem_of(await staff.get(url), 404)


async def test_schedules_preview_and_make_each_work_order_once(
    staff: Caller,
    technician: Caller,
    container: Container,
    clock: FixedClock,
    maintenance_store: InMemoryMaintenanceStore,
) -> None:
    room = await a_room(staff)
    await a_technician(staff, technician, "heating")
    created = await staff.post("/api/maintenance-schedules", json={**WEEKLY, "room_id": room["id"]})
    assert created.status_code == 201, created.text
    schedule = created.json()
    url = f"/api/maintenance-schedules/{schedule['id']}"

    preview = await staff.get(f"{url}/occurrences", params={"count": 3})
    generate = container.maintenance.generate_preventive_work()

    assert preview.json()["occurrences"] == ["2026-09-03", "2026-09-10", "2026-09-17"]
    assert [await generate(), await generate()] == [1, 0]  # today is 2026-09-01
    clock.advance(timedelta(days=7))
    assert await generate() == 1
    orders = sorted(maintenance_store.tables.requests.values(), key=lambda r: r.submitted_at)
    assert [str(o.occurrence_date) for o in orders] == ["2026-09-03", "2026-09-10"]
    assert {o.state.value for o in orders} == {"assigned"}
    assert {str(o.estimated_cost.amount) for o in orders if o.estimated_cost} == {"80.00"}


async def test_paused_and_edited_schedules(
    staff: Caller, container: Container, maintenance_store: InMemoryMaintenanceStore
) -> None:
    room = await a_room(staff)
    schedule = (
        await staff.post(
            "/api/maintenance-schedules", json={**WEEKLY, "building_id": room["building_id"]}
        )
    ).json()
    url = f"/api/maintenance-schedules/{schedule['id']}"

    paused = await staff.patch(url, json={"paused": True, "recurrence": {"cron": "0 9 * * mon"}})

    assert paused.json()["recurrence"] == {"every": None, "unit": None, "cron": "0 9 * * mon"}
    assert await container.maintenance.generate_preventive_work()() == 0
    listed = await staff.get("/api/maintenance-schedules", params={"paused": "true"})
    assert [item["id"] for item in listed.json()["items"]] == [schedule["id"]]
    preview = (await staff.get(f"{url}/occurrences", params={"count": 2})).json()
    assert preview["occurrences"] == ["2026-09-07", "2026-09-14"]
    assert (await staff.delete(url)).status_code == 204
    assert maintenance_store.tables.schedules == {}


async def test_bad_schedules_name_the_field(staff: Caller, resident: Caller) -> None:
    room = await a_room(staff)
    base = {**WEEKLY, "room_id": room["id"]}
    cases: list[tuple[Json, str]] = [
        ({**base, "recurrence": {"cron": "0 0 30 2 *"}}, "recurrence.cron"),
        ({**base, "recurrence": {"cron": "61 * * * *"}}, "recurrence.cron"),
        ({**base, "recurrence": {"every": 2}}, "recurrence.unit"),
        (
            {**base, "recurrence": {"every": 2, "unit": "weeks", "cron": "* * * * *"}},
            "recurrence.cron",
        ),
        ({**base, "lead_days": 400}, "lead_days"),
        ({**WEEKLY}, "room_id"),
        (
            {**base, "estimated_cost": {"amount": "1.234", "currency": "EUR"}},
            "estimated_cost.amount",
        ),
    ]
    for body, field in cases:
        response = await staff.post("/api/maintenance-schedules", json=body)
        assert error_fields(response, 422) == [field], body
    problem_of(await resident.post("/api/maintenance-schedules", json=base), 403)
    problem_of(
        await staff.get("/api/maintenance-schedules/00000000-0000-0000-0000-000000000001"), 404
    )


async def test_the_report_counts_open_work_and_costs(
    staff: Caller, technician: Caller, container: Container
) -> None:
    room = await a_room(staff)
    await a_technician(staff, technician, "plumbing")
    leak = {"category": "plumbing", "priority": "emergency", "description": "Burst pipe"}
    first = (
        await staff.post("/api/maintenance-requests", json={**leak, "room_id": room["id"]})
    ).json()
    second = (
        await staff.post(
            "/api/maintenance-requests", json={**leak, "room_id": room["id"], "priority": "low"}
        )
    ).json()
    for body in (first, second):
        await container.maintenance.triage_maintenance_request()(UUID(body["id"]))
    url = f"/api/maintenance-requests/{first['id']}"
    await technician.post(f"{url}/start")
    await technician.post(
        f"{url}/resolve",
        json={"labour_hours": "2", "actual_cost": {"amount": "90.00", "currency": "EUR"}},
    )

    report = (await staff.get("/api/reports/maintenance")).json()

    # Estimates: emergency plumbing 3 h x 40 + 25 parts; low 1.5 h x 40 + 25.
    assert report["open_by_priority"] == {"low": 1}
    assert report["open_by_category"] == {"plumbing": 1}
    assert (report["overdue"], report["median_hours_to_resolve"]) == (0, "0.00")
    assert report["costs"] == [
        {
            "building_id": room["building_id"],
            "month": "2026-09",
            "requests": 2,
            "estimated": {"amount": "230.00", "currency": "EUR"},
            "actual": {"amount": "90.00", "currency": "EUR"},
        }
    ]
    problem_of(await technician.get("/api/reports/maintenance"), 403)
