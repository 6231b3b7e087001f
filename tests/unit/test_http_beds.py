"""Beds of a room over HTTP, through the real app wired to in-memory adapters."""

from uuid import uuid4

from tests.unit.housing_api import (
    Client,
    Json,
    create_building,
    create_room,
    error_fields,
    problem_of,
)


async def double_room(client: Client) -> Json:
    building = await create_building(client)
    return await create_room(client, building["id"])


async def labels(client: Client, room: Json) -> list[str]:
    response = await client.get(f"/api/rooms/{room['id']}/beds")
    assert response.status_code == 200, response.text
    return [bed["label"] for bed in response.json()]


async def capacity(client: Client, room: Json) -> int:
    return (await client.get(f"/api/rooms/{room['id']}")).json()["capacity"]  # type: ignore[no-any-return]


async def bed_labelled(client: Client, room: Json, label: str) -> Json:
    beds = (await client.get(f"/api/rooms/{room['id']}/beds")).json()
    return next(bed for bed in beds if bed["label"] == label)  # type: ignore[no-any-return]


async def test_a_bed_without_a_label_gets_the_first_free_letter(client: Client) -> None:
    room = await double_room(client)
    beds_url = f"/api/rooms/{room['id']}/beds"

    third = await client.post(beds_url, json={})
    first = await bed_labelled(client, room, "A")
    await client.delete(f"{beds_url}/{first['id']}")
    refilled = await client.post(beds_url, json={})

    assert third.status_code == 201
    assert third.json()["label"] == "C"
    assert refilled.json()["label"] == "A"
    assert await labels(client, room) == ["A", "B", "C"]
    assert await capacity(client, room) == 3


async def test_capacity_counts_only_active_beds(client: Client) -> None:
    room = await double_room(client)
    bed = await bed_labelled(client, room, "B")
    bed_url = f"/api/rooms/{room['id']}/beds/{bed['id']}"

    response = await client.patch(bed_url, json={"active": False})

    assert response.json() == {**bed, "active": False}
    assert await capacity(client, room) == 1
    assert await labels(client, room) == ["A", "B"]
    await client.post(f"/api/rooms/{room['id']}/beds", json={"active": False})
    assert await capacity(client, room) == 1
    await client.patch(bed_url, json={"active": True})
    assert await capacity(client, room) == 2


async def test_a_taken_label_is_a_conflict_naming_the_field(client: Client) -> None:
    room = await double_room(client)
    bed = await bed_labelled(client, room, "A")

    added = await client.post(f"/api/rooms/{room['id']}/beds", json={"label": " b "})
    relabelled = await client.patch(
        f"/api/rooms/{room['id']}/beds/{bed['id']}", json={"label": "B"}
    )

    assert error_fields(added, 409) == ["label"]
    assert error_fields(relabelled, 409) == ["label"]
    assert await labels(client, room) == ["A", "B"]


async def test_relabelling_normalises_the_label(client: Client) -> None:
    room = await double_room(client)
    bed = await bed_labelled(client, room, "A")
    bed_url = f"/api/rooms/{room['id']}/beds/{bed['id']}"

    response = await client.patch(bed_url, json={"label": "w1"})

    assert response.json()["label"] == "W1"
    assert (await client.get(bed_url)).json() == response.json()


async def test_a_room_holds_at_most_twelve_beds(client: Client) -> None:
    building = await create_building(client)
    room = await create_room(client, building["id"], beds=12)

    response = await client.post(f"/api/rooms/{room['id']}/beds", json={})

    problem_of(response, 409)
    assert await capacity(client, room) == 12


async def test_bad_bed_body_is_rejected_by_name(client: Client) -> None:
    room = await double_room(client)
    beds_url = f"/api/rooms/{room['id']}/beds"

    assert error_fields(await client.post(beds_url, json={"bunk": True}), 422) == ["bunk"]
    assert error_fields(await client.post(beds_url, json={"label": "A-1"}), 422) == ["label"]


async def test_a_bed_is_read_only_through_its_own_room(client: Client) -> None:
    building = await create_building(client)
    room = await create_room(client, building["id"], number="101")
    other = await create_room(client, building["id"], number="102")
    bed = await bed_labelled(client, room, "A")

    assert (await client.get(f"/api/rooms/{room['id']}/beds/{bed['id']}")).json() == bed
    for url in (
        f"/api/rooms/{other['id']}/beds/{bed['id']}",
        f"/api/rooms/{room['id']}/beds/{uuid4()}",
        f"/api/rooms/{uuid4()}/beds/{bed['id']}",
    ):
        problem_of(await client.get(url), 404)
        problem_of(await client.patch(url, json={"active": False}), 404)
        problem_of(await client.delete(url), 404)
    assert await capacity(client, room) == 2


async def test_beds_of_an_unknown_room_are_not_found(client: Client) -> None:
    beds_url = f"/api/rooms/{uuid4()}/beds"

    problem_of(await client.get(beds_url), 404)
    problem_of(await client.post(beds_url, json={}), 404)


async def test_removed_bed_is_gone_and_no_longer_counted(client: Client) -> None:
    room = await double_room(client)
    bed = await bed_labelled(client, room, "A")
    bed_url = f"/api/rooms/{room['id']}/beds/{bed['id']}"

    assert (await client.delete(bed_url)).status_code == 204

    problem_of(await client.get(bed_url), 404)
    assert await labels(client, room) == ["B"]
    assert await capacity(client, room) == 1
