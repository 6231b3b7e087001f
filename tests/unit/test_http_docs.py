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
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("get", "/api/auth/me"),
    ("post", "/api/users"),
    ("get", "/api/users"),
    ("get", "/api/users/{user_id}"),
    ("patch", "/api/users/{user_id}"),
    ("post", "/api/users/{user_id}/password"),
    ("get", "/api/audit"),
}
PUBLIC_OPERATIONS = {
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("get", "/health/live"),
    ("get", "/health/ready"),
    ("post", "/api/payments/webhook"),  # signed by the gateway instead
}


async def schema(client: Client) -> dict[str, Any]:
    response = await client.get("/schema/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations_of(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method, path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


async def api_operations(client: Client) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        key: op
        for key, op in operations_of(await schema(client)).items()
        if key[1].startswith("/api/")
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


async def test_the_schema_declares_the_bearer_scheme(client: Client) -> None:
    document = await schema(client)

    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "The `access_token` of POST /api/auth/login or /api/auth/refresh.",
    }
    assert document["security"] == [{"bearer": []}]


async def test_public_operations_lift_the_bearer_requirement_and_no_other_does(
    client: Client,
) -> None:
    operations = operations_of(await schema(client))

    lifted = {key for key, operation in operations.items() if operation.get("security") == []}
    overridden = {
        key: operation["security"]
        for key, operation in operations.items()
        if key not in lifted and "security" in operation
    }

    assert lifted == PUBLIC_OPERATIONS
    # The rest inherit the document-wide requirement, the bearer token.
    assert overridden == {}


async def test_operations_behind_a_token_document_401(client: Client) -> None:
    operations = operations_of(await schema(client))

    missing = [
        key
        for key, operation in operations.items()
        if key not in PUBLIC_OPERATIONS and "401" not in operation["responses"]
    ]

    assert missing == []
    assert "401" in operations[("post", "/api/auth/login")]["responses"]
    assert "429" in operations[("post", "/api/auth/login")]["responses"]


async def test_a_residents_limits_are_described(client: Client) -> None:
    operation = (await api_operations(client))[("patch", "/api/residents/{resident_id}")]

    assert "`phone`" in operation["description"]
    assert "another resident's id answers 404" in operation["description"]
    assert "403" in operation["responses"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/rooms/{room_id}",
        "/api/rooms/{room_id}/beds/{bed_id}",
        "/api/residents/{resident_id}",
        "/api/terms/{term_id}",
    ],
)
async def test_deleting_what_a_booking_names_documents_409(client: Client, path: str) -> None:
    operation = (await api_operations(client))[("delete", path)]

    assert "409" in operation["responses"]
    assert "booking" in operation["description"]


@pytest.mark.parametrize("path", ["/api/imports", "/api/upload"])
async def test_uploads_document_their_multipart_form(client: Client, path: str) -> None:
    body = (await api_operations(client))[("post", path)]["requestBody"]

    form = body["content"]["multipart/form-data"]["schema"]
    assert body["required"] is True
    assert form["required"] == ["file"]
    assert form["properties"]["file"] == {"type": "string", "format": "binary"}
    assert form["properties"]["mode"]["enum"] == ["upsert", "append", "replace"]
