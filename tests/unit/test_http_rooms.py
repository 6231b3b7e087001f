"""Rooms over HTTP, through the real app wired to in-memory adapters."""

from uuid import uuid4

import pytest

from tests.unit.housing_api import (
    DOUBLE_ROOM,
    Client,
    create_building,
    create_room,
    error_fields,
    problem_of,
    register_resident,
)


async def numbers(client: Client, url: str, **params: object) -> list[str]:
    response = await client.get(url, params=params)
    assert response.status_code == 200, response.text
    return [room["number"] for room in response.json()["items"]]


async def test_housing_flow_from_building_to_resident(client: Client) -> None:
    building = await create_building(client)
    room = await create_room(client, building["id"])
    resident = await register_resident(client, department="Physics")

    assert room["capacity"] == 2
    assert room["building_code"] == "NH"
    beds = (await client.get(f"/api/rooms/{room['id']}/beds")).json()
    assert [bed["label"] for bed in beds] == ["A", "B"]
    assert await numbers(
        client,
        "/api/rooms",
        building_id=building["id"],
        floor=1,
        type="double",
        accessible="false",
        status="active",
    ) == ["101"]
    found = await client.get("/api/residents", params={"status": "applicant", "q": "okafor"})
    assert [r["id"] for r in found.json()["items"]] == [resident["id"]]

    patched = await client.patch(f"/api/rooms/{room['id']}", json={"accessible": True})
    assert patched.json()["accessible"] is True
    assert await numbers(client, "/api/rooms", accessible="false") == []

    for url in (f"/api/rooms/{room['id']}", f"/api/residents/{resident['id']}"):
        assert (await client.delete(url)).status_code == 204
        problem_of(await client.get(url), 404)


async def test_room_number_and_currency_are_normalised(client: Client) -> None:
    building = await create_building(client)

    room = await create_room(
        client, building["id"], number="12b", nightly_rate={"amount": "30", "currency": "gbp"}
    )

    assert room["number"] == "12B"
    assert room["nightly_rate"] == {"amount": "30.00", "currency": "GBP"}
    assert (await client.get(f"/api/rooms/{room['id']}")).json() == room


async def test_beds_override_the_count_the_type_implies(client: Client) -> None:
    building = await create_building(client)

    room = await create_room(client, building["id"], type="single", beds=3)

    assert room["capacity"] == 3


async def test_list_filters_combine(client: Client) -> None:
    north = await create_building(client)
    south = await create_building(client, code="SH")
    await create_room(client, north["id"], number="101", floor=1)
    await create_room(client, north["id"], number="201", floor=2, type="single")
    await create_room(client, north["id"], number="202", floor=2, accessible=True)
    await create_room(client, north["id"], number="301", floor=3, status="closed")
    await create_room(client, south["id"], number="201", floor=2)

    assert await numbers(client, "/api/rooms") == ["101", "201", "202", "301", "201"]
    assert await numbers(client, "/api/rooms", building_id=north["id"], floor=2) == ["201", "202"]
    assert await numbers(client, "/api/rooms", floor=2, type="double") == ["202", "201"]
    assert await numbers(client, "/api/rooms", accessible="true") == ["202"]
    assert await numbers(client, "/api/rooms", status="closed") == ["301"]
    assert await numbers(client, "/api/rooms", building_id=south["id"], type="single") == []


async def test_building_rooms_lists_only_that_building(client: Client) -> None:
    north = await create_building(client)
    south = await create_building(client, code="SH")
    await create_room(client, north["id"], number="101")
    await create_room(client, north["id"], number="201", floor=2)
    await create_room(client, south["id"], number="101")

    url = f"/api/buildings/{north['id']}/rooms"
    assert await numbers(client, url) == ["101", "201"]
    assert await numbers(client, url, floor=2) == ["201"]
    assert await numbers(client, url, type="single") == []


async def test_rooms_of_an_unknown_building_is_not_found(client: Client) -> None:
    response = await client.get(f"/api/buildings/{uuid4()}/rooms")

    assert "building" in problem_of(response, 404)["detail"]


async def test_list_pages_and_reports_the_total(client: Client) -> None:
    building = await create_building(client)
    for number in ("101", "102", "103"):
        await create_room(client, building["id"], number=number)

    response = await client.get("/api/rooms", params={"limit": 1, "offset": 1})

    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
    assert [room["number"] for room in page["items"]] == ["102"]


async def test_duplicate_number_in_a_building_is_a_conflict(client: Client) -> None:
    north = await create_building(client)
    south = await create_building(client, code="SH")
    await create_room(client, north["id"], number="101A")

    response = await client.post(
        "/api/rooms", json={**DOUBLE_ROOM, "building_id": north["id"], "number": "101a"}
    )

    assert error_fields(response, 409) == ["number"]
    assert (await create_room(client, south["id"], number="101A"))["number"] == "101A"


async def test_renumbering_onto_a_taken_number_is_a_conflict(client: Client) -> None:
    building = await create_building(client)
    await create_room(client, building["id"], number="101")
    room = await create_room(client, building["id"], number="102")

    response = await client.patch(f"/api/rooms/{room['id']}", json={"number": "101"})

    assert error_fields(response, 409) == ["number"]
    assert (await client.get(f"/api/rooms/{room['id']}")).json()["number"] == "102"


async def test_floor_above_the_building_is_rejected_by_name(client: Client) -> None:
    building = await create_building(client, floors=3)
    room = await create_room(client, building["id"], floor=3)

    created = await client.post(
        "/api/rooms", json={**DOUBLE_ROOM, "building_id": building["id"], "floor": 4}
    )
    patched = await client.patch(f"/api/rooms/{room['id']}", json={"floor": 4})

    assert error_fields(created, 422) == ["floor"]
    assert error_fields(patched, 422) == ["floor"]


async def test_unknown_building_in_the_body_is_invalid_not_missing(client: Client) -> None:
    response = await client.post("/api/rooms", json={**DOUBLE_ROOM, "building_id": str(uuid4())})

    assert error_fields(response, 422) == ["building_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"type": "penthouse"}, "type"),
        ({"nightly_rate": {"amount": "10.005", "currency": "EUR"}}, "nightly_rate.amount"),
        ({"nightly_rate": {"amount": "10", "currency": "E1R"}}, "nightly_rate.currency"),
    ],
)
async def test_bad_room_body_is_rejected_by_name(
    client: Client, change: dict[str, object], field: str
) -> None:
    building = await create_building(client)

    response = await client.post(
        "/api/rooms", json={**DOUBLE_ROOM, "building_id": building["id"], **change}
    )

    assert error_fields(response, 422) == [field]


async def test_patch_changes_only_the_given_fields(client: Client) -> None:
    building = await create_building(client)
    room = await create_room(client, building["id"], features=["Sink"])

    response = await client.patch(f"/api/rooms/{room['id']}", json={"status": "closed"})

    assert response.status_code == 200
    changed = response.json()
    assert changed["status"] == "closed"
    assert {k: v for k, v in changed.items() if k not in ("status", "updated_at")} == {
        k: v for k, v in room.items() if k not in ("status", "updated_at")
    }


async def test_deleting_a_room_removes_its_beds(client: Client) -> None:
    building = await create_building(client)
    room = await create_room(client, building["id"])

    assert (await client.delete(f"/api/rooms/{room['id']}")).status_code == 204

    problem_of(await client.get(f"/api/rooms/{room['id']}/beds"), 404)
    problem_of(await client.delete(f"/api/rooms/{room['id']}"), 404)
    assert (await client.delete(f"/api/buildings/{building['id']}")).status_code == 204


@pytest.mark.parametrize("url", ["/api/rooms", "/api/residents", "/api/terms"])
async def test_limit_zero_is_rejected_by_name(client: Client, url: str) -> None:
    assert error_fields(await client.get(url, params={"limit": 0}), 422) == ["limit"]


@pytest.mark.parametrize("url", ["/api/rooms", "/api/residents", "/api/terms"])
async def test_an_offset_past_any_database_integer_is_rejected_by_name(
    client: Client, url: str
) -> None:
    # 2**67: SQLite answered it with an overflow (500) before offsets had a bound.
    response = await client.get(url, params={"offset": 2**67})

    assert error_fields(response, 422) == ["offset"]


async def test_limit_zero_on_a_building_rooms_is_rejected_by_name(client: Client) -> None:
    building = await create_building(client)

    response = await client.get(f"/api/buildings/{building['id']}/rooms", params={"limit": 0})

    assert error_fields(response, 422) == ["limit"]
