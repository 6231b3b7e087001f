"""What each role may do: 403 for a role that may not, 404 for another resident's record."""

from uuid import uuid4

import pytest
from litestar import Litestar, get
from litestar.middleware import ASGIMiddleware
from litestar.testing import AsyncTestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from domain.accounts.model import Principal, Role
from entrypoints.http.access import PUBLIC_KEY, ROLES_KEY, check_role
from entrypoints.http.problems import EXCEPTION_HANDLERS
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import (
    ADA,
    AUTUMN,
    DOUBLE_ROOM,
    NORTH_HALL,
    error_fields,
    problem_of,
    register_resident,
)

SOME_ID = str(uuid4())
HOUSING_MANAGEMENT = [
    ("GET", "/api/buildings", None),
    ("POST", "/api/buildings", NORTH_HALL),
    ("PATCH", f"/api/buildings/{SOME_ID}", {"floors": 3}),
    ("GET", "/api/rooms", None),
    ("POST", "/api/rooms", {**DOUBLE_ROOM, "building_id": SOME_ID}),
    ("DELETE", f"/api/rooms/{SOME_ID}", None),
    ("GET", f"/api/rooms/{SOME_ID}/beds", None),
    ("POST", f"/api/rooms/{SOME_ID}/beds", {}),
    ("GET", "/api/terms", None),
    ("POST", "/api/terms", AUTUMN),
    ("GET", "/api/residents", None),
    ("POST", "/api/residents", {**ADA, "student_id": "999"}),
    ("DELETE", f"/api/residents/{SOME_ID}", None),
]
ADMINISTRATION = [
    ("GET", "/api/users", None),
    ("POST", "/api/users", {"email": "x@example.edu", "password": "p" * 20, "role": "admin"}),
    ("GET", f"/api/users/{SOME_ID}", None),
    ("PATCH", f"/api/users/{SOME_ID}", {"active": False}),
    ("POST", f"/api/users/{SOME_ID}/password", {"password": "another long passphrase"}),
    ("GET", "/api/audit", None),
]


async def call(caller: Caller, method: str, url: str, body: Json | None) -> int:
    kwargs = {} if body is None else {"json": body}
    response = await caller.request(method, url, **kwargs)
    if response.status_code == 403:
        problem_of(response, 403)
    return response.status_code


@pytest.fixture
def caller(
    request: pytest.FixtureRequest,
    admin: Caller,
    staff: Caller,
    technician: Caller,
    resident: Caller,
) -> Caller:
    """The caller of the role a test is parametrized with (indirectly)."""
    callers = {"admin": admin, "staff": staff, "technician": technician, "resident": resident}
    return callers[request.param]


@pytest.mark.parametrize("caller", ["technician", "resident"], indirect=True)
async def test_only_the_office_manages_housing(caller: Caller, staff: Caller) -> None:
    refused = {f"{m} {u}": await call(caller, m, u, b) for m, u, b in HOUSING_MANAGEMENT}
    office = {f"{m} {u}": await call(staff, m, u, b) for m, u, b in HOUSING_MANAGEMENT}

    assert set(refused.values()) == {403}
    assert 403 not in office.values()


@pytest.mark.parametrize("caller", ["staff", "technician", "resident"], indirect=True)
async def test_only_admins_manage_accounts_and_read_the_audit_trail(
    caller: Caller, admin: Caller
) -> None:
    refused = {f"{m} {u}": await call(caller, m, u, b) for m, u, b in ADMINISTRATION}
    allowed = {f"{m} {u}": await call(admin, m, u, b) for m, u, b in ADMINISTRATION}

    assert set(refused.values()) == {403}
    assert 403 not in allowed.values()


async def test_every_role_reads_its_own_account(
    admin: Caller, staff: Caller, technician: Caller, resident: Caller
) -> None:
    for caller in (admin, staff, technician, resident):
        response = await caller.get("/api/auth/me")
        assert response.status_code == 200, response.text
        assert response.json()["id"] == caller.user_id


async def test_a_resident_reads_and_changes_their_own_contact_details(
    resident: Caller, resident_record: Json
) -> None:
    url = f"/api/residents/{resident_record['id']}"
    change = {
        "phone": "+44 7700 900123",
        "emergency_contact": {"name": "Maria Okafor", "phone": "+447700900456"},
        "needs_accessible_room": True,
        "accessibility_notes": "step-free access",
    }

    changed = await resident.patch(url, json=change)
    read = await resident.get(url)

    assert changed.status_code == 200, changed.text
    assert changed.json()["phone"] == "+447700900123"
    assert changed.json()["needs_accessible_room"] is True
    assert read.json() == changed.json()


async def test_another_residents_record_is_not_found_for_a_resident(
    resident: Caller, staff: Caller
) -> None:
    other = await register_resident(staff, student_id="777", email="ben@example.edu")
    url = f"/api/residents/{other['id']}"

    read = await resident.get(url)
    changed = await resident.patch(url, json={"phone": "+447700900999"})
    unknown = await resident.get(f"/api/residents/{uuid4()}")

    assert problem_of(read, 404)["detail"] == f"resident {other['id']} was not found"
    problem_of(changed, 404)
    problem_of(unknown, 404)
    assert (await staff.get(url)).json()["phone"] is None


@pytest.mark.parametrize(
    ("change", "refused"),
    [
        ({"status": "active"}, ["status"]),
        ({"phone": "+447700900123", "email": "me@example.edu"}, ["email"]),
        ({"student_id": "1", "first_name": "Adaeze"}, ["first_name", "student_id"]),
    ],
)
async def test_a_resident_may_not_change_office_fields(
    resident: Caller, resident_record: Json, change: Json, refused: list[str]
) -> None:
    url = f"/api/residents/{resident_record['id']}"
    before = (await resident.get(url)).json()

    response = await resident.patch(url, json=change)

    assert error_fields(response, 403) == refused
    assert all(field in problem_of(response, 403)["detail"] for field in refused)
    assert (await resident.get(url)).json() == before


async def test_the_office_changes_any_field_of_a_resident(
    staff: Caller, resident_record: Json
) -> None:
    response = await staff.patch(
        f"/api/residents/{resident_record['id']}", json={"status": "active"}
    )

    assert response.status_code == 200, response.text
    assert response.json()["status"] == "active"


async def test_a_technician_reads_no_resident(technician: Caller, resident_record: Json) -> None:
    problem_of(await technician.get(f"/api/residents/{resident_record['id']}"), 403)


async def test_an_admin_cannot_deactivate_their_own_account(admin: Caller) -> None:
    response = await admin.patch(f"/api/users/{admin.user_id}", json={"active": False})

    assert error_fields(response, 409) == ["active"]
    assert (await admin.get("/api/auth/me")).json()["active"] is True


def test_every_protected_route_declares_the_roles_it_admits(app: Litestar) -> None:
    undeclared = [
        f"{sorted(handler.http_methods)} {route.path}"
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if "OPTIONS" not in handler.http_methods
        and not handler.opt.get(PUBLIC_KEY)
        and not handler.opt.get(ROLES_KEY)
    ]

    assert undeclared == []


class _SignedInAs(ASGIMiddleware):
    def __init__(self, principal: Principal) -> None:
        self.principal = principal

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = self.principal
        await next_app(scope, receive, send)


async def test_a_route_that_declares_no_roles_admits_no_one() -> None:
    @get("/undeclared", sync_to_thread=False)
    def undeclared() -> str:
        return "reached"

    app = Litestar(
        [undeclared],
        guards=[check_role],
        middleware=[_SignedInAs(Principal(user_id=uuid4(), role=Role.ADMIN))],
        exception_handlers=EXCEPTION_HANDLERS,
    )
    async with AsyncTestClient(app) as client:
        response = await client.get("/undeclared")

    assert problem_of(response, 403)["detail"] == "this operation admits no role"
