"""Academic terms over HTTP, through the real app wired to in-memory adapters."""

from uuid import uuid4

import pytest

from tests.unit.housing_api import AUTUMN, Client, create_term, error_fields, problem_of


async def test_created_term_is_readable(client: Client) -> None:
    created = await create_term(client, name="  Autumn   2026 ")

    assert created["name"] == "Autumn 2026"
    assert (created["starts_on"], created["ends_on"]) == ("2026-09-21", "2026-12-19")
    assert (await client.get(f"/api/terms/{created['id']}")).json() == created


@pytest.mark.parametrize("ends_on", ["2026-09-21", "2026-09-20"])
async def test_a_term_must_end_after_it_starts(client: Client, ends_on: str) -> None:
    response = await client.post("/api/terms", json={**AUTUMN, "ends_on": ends_on})

    assert error_fields(response, 422) == ["ends_on"]


async def test_back_to_back_terms_are_allowed(client: Client) -> None:
    await create_term(client)

    spring = await create_term(
        client, name="Spring 2027", starts_on="2026-12-19", ends_on="2027-04-01"
    )

    assert spring["starts_on"] == "2026-12-19"


async def test_duplicate_name_is_a_conflict_naming_the_field(client: Client) -> None:
    await create_term(client)

    response = await client.post("/api/terms", json={**AUTUMN, "starts_on": "2026-10-01"})

    assert error_fields(response, 409) == ["name"]


async def test_bad_term_body_is_rejected_by_name(client: Client) -> None:
    unknown = await client.post("/api/terms", json={**AUTUMN, "year": 2026})
    not_a_date = await client.post("/api/terms", json={**AUTUMN, "starts_on": "21/09/2026"})

    assert error_fields(unknown, 422) == ["year"]
    assert error_fields(not_a_date, 422) == ["starts_on"]


async def test_patch_moves_one_date_and_keeps_the_other(client: Client) -> None:
    created = await create_term(client)

    response = await client.patch(f"/api/terms/{created['id']}", json={"ends_on": "2026-12-22"})

    assert response.status_code == 200
    assert response.json() == {**created, "ends_on": "2026-12-22"}


async def test_patch_that_inverts_the_dates_changes_nothing(client: Client) -> None:
    created = await create_term(client)

    response = await client.patch(
        f"/api/terms/{created['id']}", json={"name": "Late autumn", "starts_on": "2026-12-19"}
    )

    assert error_fields(response, 422) == ["ends_on"]
    assert (await client.get(f"/api/terms/{created['id']}")).json() == created


async def test_list_is_ordered_by_start_date_and_paged(client: Client) -> None:
    await create_term(client, name="Spring 2027", starts_on="2027-01-11", ends_on="2027-04-01")
    await create_term(client)
    await create_term(client, name="Summer 2027", starts_on="2027-06-01", ends_on="2027-09-01")

    first = (await client.get("/api/terms", params={"limit": 2})).json()
    rest = (await client.get("/api/terms", params={"limit": 2, "offset": 2})).json()

    assert first["total"] == rest["total"] == 3
    assert [t["name"] for t in first["items"] + rest["items"]] == [
        "Autumn 2026",
        "Spring 2027",
        "Summer 2027",
    ]


async def test_delete_then_read_is_not_found(client: Client) -> None:
    created = await create_term(client)

    assert (await client.delete(f"/api/terms/{created['id']}")).status_code == 204

    problem_of(await client.get(f"/api/terms/{created['id']}"), 404)
    problem_of(await client.delete(f"/api/terms/{created['id']}"), 404)
    problem_of(await client.patch(f"/api/terms/{uuid4()}", json={"name": "X"}), 404)
