"""The audit trail of writes made through the API, and GET /api/audit."""

from datetime import timedelta
from typing import Any

import msgspec
import pytest
from dependency_injector import providers

from application.accounts.model import AuditEntry
from entrypoints.container import Container
from entrypoints.http.audit import changed_fields, describe_write
from tests.fakes import FixedClock, InMemoryAuditLog
from tests.unit.accounts_api import Caller, Json, create_account
from tests.unit.housing_api import (
    NORTH_HALL,
    create_building,
    create_room,
    error_fields,
    problem_of,
)

NEW_PASSWORD = "a brand new and long passphrase"


async def audit(admin: Caller, **params: Any) -> list[Json]:
    response = await admin.get("/api/audit", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


async def test_a_rooms_creation_and_change_are_recorded_with_the_actor(
    staff: Caller, admin: Caller, clock: FixedClock
) -> None:
    building = await create_building(staff)
    room = await create_room(staff, building["id"])
    clock.advance(timedelta(minutes=5))
    changed = await staff.patch(f"/api/rooms/{room['id']}", json={"status": "closed"})
    assert changed.status_code == 200, changed.text

    entries = await audit(admin, entity="room")

    assert [
        (entry["action"], entry["entity_id"], entry["actor_id"], entry["changed_fields"])
        for entry in entries
    ] == [
        ("update", room["id"], staff.user_id, ["status"]),
        (
            "create",
            room["id"],
            staff.user_id,
            ["building_id", "floor", "nightly_rate", "number", "type"],
        ),
    ]
    assert entries[0]["at"] > entries[1]["at"]


async def test_a_password_reset_records_the_field_name_and_never_the_value(
    admin: Caller, container: Container, audit_log: InMemoryAuditLog
) -> None:
    user_id = await create_account(container, "technician")

    response = await admin.post(f"/api/users/{user_id}/password", json={"password": NEW_PASSWORD})

    assert response.status_code == 204, response.text
    [entry] = await audit(admin, entity="user")
    assert (entry["action"], entry["entity_id"], entry["changed_fields"]) == (
        "password",
        user_id,
        ["password"],
    )
    assert entry["actor_id"] == admin.user_id
    assert NEW_PASSWORD not in repr(audit_log.entries)
    assert NEW_PASSWORD not in msgspec.json.encode(entry).decode()


async def test_an_accounts_creation_is_recorded_without_its_password(
    admin: Caller, audit_log: InMemoryAuditLog
) -> None:
    body = {"email": "new.staff@example.edu", "password": NEW_PASSWORD, "role": "staff"}
    created = await admin.post("/api/users", json=body)

    [entry] = await audit(admin, entity="user")

    assert created.status_code == 201, created.text
    assert entry["entity_id"] == created.json()["id"]
    assert entry["changed_fields"] == ["email", "password", "role"]
    assert NEW_PASSWORD not in repr(audit_log.entries)


async def test_deletes_and_nested_creates_name_the_right_entity(
    staff: Caller, admin: Caller
) -> None:
    room = await create_room(staff, (await create_building(staff))["id"])
    bed = await staff.post(f"/api/rooms/{room['id']}/beds", json={"label": "C"})
    removed = await staff.delete(f"/api/rooms/{room['id']}/beds/{bed.json()['id']}")
    assert removed.status_code == 204, removed.text

    entries = await audit(admin, entity="bed")

    assert [(e["action"], e["entity_id"], e["changed_fields"]) for e in entries] == [
        ("delete", bed.json()["id"], []),
        ("create", bed.json()["id"], ["label"]),
    ]


async def test_refused_and_failed_writes_and_sessions_leave_no_entry(
    staff: Caller, technician: Caller, audit_log: InMemoryAuditLog, anonymous: Caller
) -> None:
    # Signing in (the fixtures) and out is not a change to an entity.
    session = await staff.http.post(
        "/api/auth/login", json={"email": "staff@example.edu", "password": "wrong"}, auth=None
    )
    invalid = await staff.post("/api/buildings", json={"code": "NH"})
    forbidden = await technician.post("/api/buildings", json={"code": "NH"})
    unauthenticated = await anonymous.post("/api/buildings", json={"code": "NH"})
    logout = await staff.post("/api/auth/logout", json={"refresh_token": "unknown"})

    assert [r.status_code for r in (session, invalid, forbidden, unauthenticated, logout)] == [
        401,
        422,
        403,
        401,
        204,
    ]
    assert audit_log.entries == []


async def test_the_trail_filters_by_actor_and_time(
    staff: Caller, admin: Caller, clock: FixedClock
) -> None:
    await create_building(staff)
    start = clock.now()
    clock.advance(timedelta(minutes=10))
    await create_building(admin, code="SH")

    by_staff = await audit(admin, actor_id=staff.user_id)
    after = await audit(admin, since=(start + timedelta(minutes=1)).isoformat())
    before = await audit(admin, until=(start + timedelta(minutes=1)).isoformat())

    assert [e["actor_id"] for e in by_staff] == [staff.user_id]
    assert [e["actor_id"] for e in after] == [admin.user_id]
    assert [e["actor_id"] for e in before] == [staff.user_id]


async def test_a_time_without_an_offset_is_refused_by_name(admin: Caller) -> None:
    response = await admin.get("/api/audit", params={"since": "2026-09-01T09:00:00"})

    assert error_fields(response, 422) == ["since"]


class _BrokenAuditLog(InMemoryAuditLog):
    async def record(self, entry: AuditEntry) -> None:
        raise ConnectionError("the audit table is unreachable")


async def test_a_write_whose_entry_cannot_be_recorded_does_not_report_success(
    container: Container, staff: Caller
) -> None:
    container.audit_log.override(providers.Object(_BrokenAuditLog()))
    container.accounts.record_audit.reset()

    response = await staff.post("/api/buildings", json=NORTH_HALL)

    assert "could not be written to the audit trail" in problem_of(response, 500)["detail"]


@pytest.mark.parametrize(
    ("method", "template", "params", "status", "created", "expected"),
    [
        ("POST", "/api/rooms", {}, 201, {"id": "r1"}, ("create", "room", "r1")),
        ("PATCH", "/api/rooms/{room_id}", {"room_id": "r1"}, 200, None, ("update", "room", "r1")),
        ("PUT", "/api/terms/{term_id}", {"term_id": "t1"}, 200, None, ("update", "term", "t1")),
        (
            "DELETE",
            "/api/rooms/{room_id}/beds/{bed_id}",
            {"room_id": "r1", "bed_id": "b1"},
            204,
            None,
            ("delete", "bed", "b1"),
        ),
        (
            "POST",
            "/api/rooms/{room_id}/beds",
            {"room_id": "r1"},
            201,
            {"id": "b2"},
            ("create", "bed", "b2"),
        ),
        (
            "POST",
            "/api/users/{user_id}/password",
            {"user_id": "u1"},
            204,
            None,
            ("password", "user", "u1"),
        ),
        (
            "POST",
            "/api/bookings/{booking_id}/check-in",
            {"booking_id": "k1"},
            200,
            {"id": "k1"},
            ("check-in", "booking", "k1"),
        ),
        ("POST", "/api/imports", {}, 202, {"job_id": "j1"}, ("create", "import", None)),
        ("POST", "/api/maintenance/categories", {}, 201, {"id": 7}, ("create", "category", "7")),
    ],
)
def test_a_write_is_described_by_its_route(
    method: str,
    template: str,
    params: dict[str, str],
    status: int,
    created: Any,
    expected: tuple[str, str, str | None],
) -> None:
    write = describe_write(method, template, params, status, created)

    assert (write.action, write.entity, write.entity_id) == expected


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (b'{"password": "secret", "email": "a@b.c"}', ["email", "password"]),
        (b"[1, 2]", []),
        (b"not json", []),
        (b"", []),
    ],
)
def test_changed_fields_are_the_top_level_names_of_a_json_object(
    body: bytes, fields: list[str]
) -> None:
    assert changed_fields(body) == fields
