"""The voter roll over HTTP on fakes: filters and pages, read, patch (unknown fields, bad
values and a taken email refused, naming the field), delete, stats and the CSV export."""

import csv
import io
from uuid import UUID

import pytest

from entrypoints.container import Container
from tests.unit.accounts_api import Caller
from tests.unit.housing_api import Client

ROLL = (
    "Student ID,First Name,Last Name,Email,Dept,Year,Eligible\n"
    "00123,Ada,Lovelace,ada@example.edu,Maths,2,yes\n"
    "00124,Alan,Turing,alan@example.edu,CS,3,no\n"
    "00125,Grace,Hopper,grace@example.edu,CS,3,yes\n"
    "00126,=cmd|' /C calc'!A0,Smith,eve@example.edu,,,yes\n"
)


@pytest.fixture
async def roll(client: Client, container: Container) -> None:
    files = {"file": ("roll.csv", ROLL.encode(), "text/csv")}
    started = await client.post("/api/imports", files=files)
    assert started.status_code == 202, started.text
    await container.imports.run_import()(UUID(started.json()["id"]))


@pytest.mark.usefixtures("roll")
async def test_voters_list_with_filters_and_pages(client: Client) -> None:
    everyone = (await client.get("/api/voters", params={"limit": 2})).json()
    assert (everyone["total"], [v["student_id"] for v in everyone["items"]]) == (
        4,
        ["00123", "00124"],
    )
    cs = (
        await client.get("/api/voters", params={"department": "cs", "is_eligible": "true"})
    ).json()
    assert [v["student_id"] for v in cs["items"]] == ["00125"]
    third = (await client.get("/api/voters", params={"year": 3})).json()
    assert third["total"] == 2
    found = (await client.get("/api/voters", params={"q": "TURING"})).json()
    assert [v["student_id"] for v in found["items"]] == ["00124"]


@pytest.mark.usefixtures("roll")
async def test_a_voter_reads_by_its_text_id(client: Client) -> None:
    assert (await client.get("/api/voters/00123")).json()["email"] == "ada@example.edu"
    assert (await client.get("/api/voters/123")).status_code == 404


@pytest.mark.usefixtures("roll")
async def test_patch_changes_eligibility_and_contact_fields(client: Client) -> None:
    response = await client.patch(
        "/api/voters/00124",
        json={"is_eligible": True, "email": " Alan.T@Example.edu ", "year": None},
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["is_eligible"], body["email"], body["year"]) == (True, "alan.t@example.edu", None)
    assert (await client.get("/api/voters/00124")).json()["email"] == "alan.t@example.edu"


@pytest.mark.usefixtures("roll")
async def test_patch_refuses_what_it_cannot_take_naming_the_field(client: Client) -> None:
    unknown = await client.patch("/api/voters/00124", json={"student_id": "9"})
    assert unknown.status_code == 422
    assert "student_id" in unknown.text
    bad_year = await client.patch("/api/voters/00124", json={"year": 11})
    assert bad_year.status_code == 422
    assert "year" in bad_year.text
    bad_email = await client.patch("/api/voters/00124", json={"email": "nope"})
    assert bad_email.status_code == 422
    assert bad_email.json()["errors"][0]["field"] == "email"
    taken = await client.patch("/api/voters/00124", json={"email": "ada@example.edu"})
    assert taken.status_code == 409
    assert taken.json()["errors"][0]["field"] == "email"
    missing = await client.patch("/api/voters/99999", json={"is_eligible": True})
    assert missing.status_code == 404


@pytest.mark.usefixtures("roll")
async def test_delete_removes_a_voter(client: Client) -> None:
    assert (await client.delete("/api/voters/00123")).status_code == 204
    assert (await client.get("/api/voters/00123")).status_code == 404
    assert (await client.delete("/api/voters/00123")).status_code == 404


@pytest.mark.usefixtures("roll")
async def test_stats_count_by_department_year_and_eligibility(client: Client) -> None:
    stats = (await client.get("/api/voters/stats")).json()

    assert (stats["total"], stats["eligible"], stats["ineligible"]) == (4, 3, 1)
    assert stats["by_department"] == [
        {"department": "CS", "total": 2, "eligible": 1},
        {"department": "Maths", "total": 1, "eligible": 1},
        {"department": None, "total": 1, "eligible": 1},
    ]
    assert stats["by_year"][0] == {"year": 2, "total": 1, "eligible": 1}
    assert stats["by_year"][-1] == {"year": None, "total": 1, "eligible": 1}


@pytest.mark.usefixtures("roll")
async def test_export_streams_csv_with_formulas_defused(client: Client) -> None:
    response = await client.get("/api/voters/export.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "student_id",
        "first_name",
        "last_name",
        "email",
        "department",
        "year",
        "is_eligible",
    ]
    assert [row[0] for row in rows[1:]] == ["00123", "00124", "00125", "00126"]
    assert rows[4][1] == "'=cmd|' /C calc'!A0"
    filtered = (await client.get("/api/voters/export.csv", params={"department": "CS"})).text
    assert len(filtered.splitlines()) == 3


async def test_only_the_office_reaches_the_roll(resident: Caller, technician: Caller) -> None:
    for caller in (resident, technician):
        assert (await caller.get("/api/voters")).status_code == 403
        assert (await caller.get("/api/voters/stats")).status_code == 403
        assert (await caller.get("/api/voters/export.csv")).status_code == 403
        assert (await caller.patch("/api/voters/1", json={"is_eligible": True})).status_code == 403
