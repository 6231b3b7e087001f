"""Request helpers shared by the housing HTTP tests: each posts a valid body, with overrides,
and fails the test at the call site when the API refuses it."""

from typing import Any, TypeAlias

from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

Client: TypeAlias = AsyncTestClient[Litestar]
Json: TypeAlias = dict[str, Any]

NORTH_HALL: Json = {"code": "NH", "name": "North Hall", "address": "1 College Road", "floors": 5}
DOUBLE_ROOM: Json = {
    "number": "101",
    "floor": 1,
    "type": "double",
    "nightly_rate": {"amount": "42.50", "currency": "EUR"},
}
ADA: Json = {
    "student_id": "00412345",
    "first_name": "Ada",
    "last_name": "Okafor",
    "email": "ada.okafor@example.edu",
}
AUTUMN: Json = {"name": "Autumn 2026", "starts_on": "2026-09-21", "ends_on": "2026-12-19"}


async def _created(client: Client, url: str, body: Json) -> Json:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def create_building(client: Client, **overrides: Any) -> Json:
    return await _created(client, "/api/buildings", {**NORTH_HALL, **overrides})


async def create_room(client: Client, building_id: str, **overrides: Any) -> Json:
    return await _created(
        client, "/api/rooms", {**DOUBLE_ROOM, "building_id": building_id, **overrides}
    )


async def register_resident(client: Client, **overrides: Any) -> Json:
    return await _created(client, "/api/residents", {**ADA, **overrides})


async def create_term(client: Client, **overrides: Any) -> Json:
    return await _created(client, "/api/terms", {**AUTUMN, **overrides})


def problem_of(response: Response, status: int) -> Json:
    """The problem details body of an error response, after checking its status and type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: Json = response.json()
    assert body["status"] == status
    return body


def error_fields(response: Response, status: int) -> list[str]:
    return [error["field"] for error in problem_of(response, status).get("errors", [])]
