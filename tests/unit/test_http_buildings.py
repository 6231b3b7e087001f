"""Buildings over HTTP, through the real app wired to in-memory adapters."""

from typing import Any

from litestar.testing import AsyncTestClient

NORTH_HALL = {"code": "nh", "name": "North Hall", "address": "1 College Road", "floors": 5}


async def create(client: AsyncTestClient, **overrides: Any) -> dict[str, Any]:  # type: ignore[type-arg]
    response = await client.post("/api/buildings", json={**NORTH_HALL, **overrides})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def test_created_building_is_normalised_and_readable(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    created = await create(client, amenities=["Laundry", " laundry ", "Gym"])

    assert created["code"] == "NH"
    assert created["amenities"] == ["laundry", "gym"]
    read = await client.get(f"/api/buildings/{created['id']}")
    assert read.json() == created


async def test_duplicate_code_is_a_conflict_naming_the_field(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    await create(client)

    response = await client.post("/api/buildings", json={**NORTH_HALL, "code": "NH "})

    assert response.status_code == 409
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"] == [
        {"field": "code", "message": "a building with code NH already exists"}
    ]


async def test_unknown_field_is_rejected_by_name(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/buildings", json={**NORTH_HALL, "colour": "red"})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "colour"


async def test_out_of_range_floors_is_rejected_by_name(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    response = await client.post("/api/buildings", json={**NORTH_HALL, "floors": 0})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "floors"


async def test_patch_changes_only_the_given_fields(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    created = await create(client)

    response = await client.patch(
        f"/api/buildings/{created['id']}", json={"name": "North Hall East"}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "North Hall East"
    assert response.json()["floors"] == created["floors"]


async def test_list_filters_by_active_and_reports_the_total(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    await create(client, code="A1")
    await create(client, code="B1", active=False)

    response = await client.get("/api/buildings", params={"active": "false", "limit": 1})

    page = response.json()
    assert page["total"] == 1
    assert [b["code"] for b in page["items"]] == ["B1"]


async def test_delete_then_read_is_not_found(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    created = await create(client)

    assert (await client.delete(f"/api/buildings/{created['id']}")).status_code == 204
    response = await client.get(f"/api/buildings/{created['id']}")
    assert response.status_code == 404
    assert response.json()["status"] == 404
