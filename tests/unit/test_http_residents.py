"""Residents over HTTP, through the real app wired to in-memory adapters."""

from uuid import uuid4

import pytest

from tests.unit.housing_api import ADA, Client, error_fields, problem_of, register_resident


async def student_ids(client: Client, **params: object) -> list[str]:
    response = await client.get("/api/residents", params=params)
    assert response.status_code == 200, response.text
    return [resident["student_id"] for resident in response.json()["items"]]


async def test_registration_normalises_identity_and_contact(client: Client) -> None:
    created = await register_resident(
        client,
        student_id="000123",
        email="  Ada.Okafor@Example.EDU ",
        phone="+44 7700 900-123",
        emergency_contact={"name": "Maria Okafor", "phone": "0044 (7700) 900456"},
    )

    assert created["student_id"] == "000123"
    assert created["email"] == "ada.okafor@example.edu"
    assert created["phone"] == "+447700900123"
    assert created["emergency_contact"] == {
        "name": "Maria Okafor",
        "phone": "+447700900456",
        "relationship": None,
    }
    assert created["status"] == "applicant"
    assert (await client.get(f"/api/residents/{created['id']}")).json() == created


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "ada.okafor@"}, "email"),
        ({"email": "ada okafor@example.edu"}, "email"),
        ({"phone": "12345678"}, "phone"),
        ({"student_id": "00 123"}, "student_id"),
        ({"year_of_study": 11}, "year_of_study"),
        ({"date_of_birth": "2026-09-02"}, "date_of_birth"),
        ({"emergency_contact": {"name": "Maria", "phone": "n/a n/a"}}, "emergency_contact.phone"),
        ({"nickname": "Ada"}, "nickname"),
    ],
)
async def test_bad_resident_body_is_rejected_by_name(
    client: Client, change: dict[str, object], field: str
) -> None:
    response = await client.post("/api/residents", json={**ADA, **change})

    assert error_fields(response, 422) == [field]
    assert await student_ids(client) == []


async def test_student_id_and_email_are_unique(client: Client) -> None:
    await register_resident(client, student_id="000123")

    same_id = await client.post(
        "/api/residents", json={**ADA, "student_id": "000123", "email": "other@example.edu"}
    )
    same_email = await client.post(
        "/api/residents", json={**ADA, "student_id": "000124", "email": "ADA.okafor@example.edu"}
    )

    assert error_fields(same_id, 409) == ["student_id"]
    assert error_fields(same_email, 409) == ["email"]
    assert await student_ids(client) == ["000123"]


async def test_leading_zeros_make_a_different_student(client: Client) -> None:
    await register_resident(client, student_id="000123")

    other = await register_resident(client, student_id="123", email="b@example.edu")

    assert other["student_id"] == "123"


async def test_patch_null_clears_and_omitted_fields_stay(client: Client) -> None:
    created = await register_resident(client, phone="+447700900123", department="Physics")

    response = await client.patch(
        f"/api/residents/{created['id']}", json={"phone": None, "year_of_study": 2}
    )

    assert response.status_code == 200
    changed = response.json()
    assert changed["phone"] is None
    assert changed["year_of_study"] == 2
    assert changed["department"] == "Physics"
    assert changed["email"] == created["email"]
    assert (await client.get(f"/api/residents/{created['id']}")).json() == changed


async def test_patch_onto_another_residents_email_is_a_conflict(client: Client) -> None:
    await register_resident(client)
    other = await register_resident(client, student_id="000999", email="grace@example.edu")

    response = await client.patch(
        f"/api/residents/{other['id']}", json={"email": "Ada.Okafor@example.edu"}
    )

    assert error_fields(response, 409) == ["email"]
    assert (await client.get(f"/api/residents/{other['id']}")).json()["email"] == (
        "grace@example.edu"
    )


async def test_patch_with_a_bad_value_changes_nothing(client: Client) -> None:
    created = await register_resident(client)

    response = await client.patch(
        f"/api/residents/{created['id']}", json={"first_name": "Adaeze", "email": "nope"}
    )

    assert error_fields(response, 422) == ["email"]
    assert (await client.get(f"/api/residents/{created['id']}")).json() == created


async def test_list_filters_by_status_department_and_search(client: Client) -> None:
    await register_resident(client, student_id="S1", department="Physics", status="active")
    await register_resident(
        client,
        student_id="S2",
        first_name="Grace",
        last_name="Hopper",
        email="g.hopper@navy.example.edu",
        department="Computing",
        status="active",
    )
    await register_resident(
        client,
        student_id="X-77",
        first_name="Alan",
        last_name="Turing",
        email="alan@example.edu",
        department="physics",
    )

    assert await student_ids(client) == ["S2", "S1", "X-77"]
    assert await student_ids(client, status="active") == ["S2", "S1"]
    assert await student_ids(client, department="PHYSICS") == ["S1", "X-77"]
    assert await student_ids(client, q="ada oka") == ["S1"]
    assert await student_ids(client, q="x-7") == ["X-77"]
    assert await student_ids(client, q="NAVY") == ["S2"]
    assert await student_ids(client, status="active", department="physics") == ["S1"]
    assert await student_ids(client, status="former") == []


async def test_list_rejects_an_unknown_status_by_name(client: Client) -> None:
    response = await client.get("/api/residents", params={"status": "alumnus"})

    assert error_fields(response, 422) == ["status"]


async def test_delete_then_read_is_not_found(client: Client) -> None:
    created = await register_resident(client)

    assert (await client.delete(f"/api/residents/{created['id']}")).status_code == 204

    problem_of(await client.get(f"/api/residents/{created['id']}"), 404)
    problem_of(await client.delete(f"/api/residents/{created['id']}"), 404)
    problem_of(await client.patch(f"/api/residents/{uuid4()}", json={"phone": None}), 404)


async def test_staff_lock_directory_fields_on_a_resident(client: Client) -> None:
    created = await register_resident(client)
    assert created["locked_fields"] == []

    response = await client.patch(
        f"/api/residents/{created['id']}", json={"locked_fields": ["phone", "email", "phone"]}
    )

    assert response.status_code == 200, response.text
    assert response.json()["locked_fields"] == ["email", "phone"]


async def test_only_directory_fields_can_be_locked(client: Client) -> None:
    created = await register_resident(client)

    response = await client.patch(
        f"/api/residents/{created['id']}", json={"locked_fields": ["status"]}
    )

    assert error_fields(response, 422) == ["locked_fields"]
