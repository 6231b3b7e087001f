"""The OpenAPI description: every API operation documented, the viewers served."""

from typing import Any

import pytest

from tests.unit.housing_api import Client

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}

EXPECTED_OPERATIONS = {
    ("post", "/api/buildings"),
    ("get", "/api/buildings/{building_id}/rooms"),
    ("post", "/api/rooms"),
    ("get", "/api/rooms"),
    ("get", "/api/rooms/{room_id}"),
    ("patch", "/api/rooms/{room_id}"),
    ("delete", "/api/rooms/{room_id}"),
    ("get", "/api/rooms/{room_id}/beds"),
    ("post", "/api/rooms/{room_id}/beds"),
    ("get", "/api/rooms/{room_id}/beds/{bed_id}"),
    ("patch", "/api/rooms/{room_id}/beds/{bed_id}"),
    ("delete", "/api/rooms/{room_id}/beds/{bed_id}"),
    ("post", "/api/residents"),
    ("get", "/api/residents"),
    ("get", "/api/residents/{resident_id}"),
    ("patch", "/api/residents/{resident_id}"),
    ("delete", "/api/residents/{resident_id}"),
    ("post", "/api/terms"),
    ("get", "/api/terms"),
    ("get", "/api/terms/{term_id}"),
    ("patch", "/api/terms/{term_id}"),
    ("delete", "/api/terms/{term_id}"),
}


async def api_operations(client: Client) -> dict[tuple[str, str], dict[str, Any]]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return {
        (method, path): operation
        for path, item in response.json()["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


async def test_every_housing_operation_is_published(client: Client) -> None:
    assert set(await api_operations(client)) >= EXPECTED_OPERATIONS


async def test_every_api_operation_has_a_summary_and_a_description(client: Client) -> None:
    undocumented = [
        key
        for key, operation in (await api_operations(client)).items()
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]

    assert undocumented == []


async def test_every_api_operation_documents_its_problem_responses(client: Client) -> None:
    # Litestar adds a 400 to every operation that takes input on its own; the problems that the
    # API really answers with are the ones documented as application/problem+json.
    def documents_a_problem(operation: dict[str, Any]) -> bool:
        return any(
            400 <= int(status) < 500 and "application/problem+json" in response.get("content", {})
            for status, response in operation["responses"].items()
        )

    operations = await api_operations(client)

    assert [key for key, op in operations.items() if not documents_a_problem(op)] == []


async def test_room_creation_documents_conflict_and_invalid_input(client: Client) -> None:
    operation = (await api_operations(client))[("post", "/api/rooms")]

    assert set(operation["responses"]) >= {"201", "409", "422"}
    assert "unique within the building" in operation["description"]


@pytest.mark.parametrize("viewer", ["swagger", "redoc"])
async def test_schema_viewers_are_served_as_html(client: Client, viewer: str) -> None:
    response = await client.get(f"/schema/{viewer}")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<title>Campus Residence API</title>" in response.text
