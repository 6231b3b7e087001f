"""Voter imports over HTTP on fakes: upload (202), run the task, read the report, the errors
CSV and the emails; the seed's paths; 413, 415 and 409 answers."""

from uuid import UUID

import pytest

from entrypoints.container import Container
from tests.fakes import InMemoryImportsStore
from tests.unit.accounts_api import Caller
from tests.unit.housing_api import Client

ROLL = (
    "Student ID,First Name,Surname,E-mail,Dept,Level,Eligible\n"
    "00123,Ada,Lovelace,Ada@Example.edu,Maths,2,yes\n"
    "00124,Alan,Turing,alan@example.edu,CS,11,no\n"
    "00123,Ada,Again,ada2@example.edu,Maths,2,yes\n"
    ",,,,,,\n"
    "00125,Grace,Hopper,,CS,3,\n"
)


def upload(body: str = ROLL, name: str = "roll.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, body.encode(), "text/csv")}


async def _run(container: Container, import_id: str) -> None:
    await container.imports.run_import()(UUID(import_id))


async def test_an_upload_runs_and_its_report_adds_up(
    client: Client, container: Container, imports_store: InMemoryImportsStore
) -> None:
    response = await client.post("/api/imports", files=upload(), data={"mode": "upsert"})

    assert response.status_code == 202, response.text
    started = response.json()
    assert started["state"] == "queued"
    await _run(container, started["id"])
    report = (await client.get(f"/api/imports/{started['id']}")).json()["report"]
    assert (report["total_rows"], report["created"], report["invalid"]) == (5, 1, 2)
    assert (report["duplicates"], report["skipped"]) == (1, 1)
    assert report["missing_fields"] == {"email": 1}
    assert report["header_mapping"]["Surname"] == "last_name"
    assert imports_store.voters["00123"].row.email == "ada@example.edu"
    errors = (await client.get(f"/api/imports/{started['id']}/errors.csv")).text
    assert errors.splitlines()[0] == "line,column,value,message"
    assert "3,Level,11,must be between 1 and 10" in errors
    assert "already appears on line 2" in errors
    listed = (await client.get("/api/imports")).json()
    assert [item["id"] for item in listed["items"]] == [started["id"]]


async def test_the_seed_paths_answer_with_and_without_the_slash(
    client: Client, container: Container
) -> None:
    response = await client.post("/api/upload/", files=upload())

    assert response.status_code == 202, response.text
    body = response.json()
    assert body["message"] == "File uploaded and processing started"
    status = (await client.get(f"/api/task-status/{body['task_id']}/")).json()
    assert status["state"] == "PENDING"
    await _run(container, body["task_id"])
    done = (await client.get(f"/api/task-status/{body['task_id']}")).json()
    assert done["state"] == "SUCCESS"
    assert done["result"]["created"] == 1
    again = await client.post("/api/upload", files=upload())
    assert again.json()["task_id"] == body["task_id"]  # the same file within 24 hours


async def test_a_repeat_with_force_starts_a_new_import(client: Client) -> None:
    first = (await client.post("/api/imports", files=upload())).json()
    forced = await client.post("/api/imports", files=upload(), data={"force": "true"})

    assert forced.status_code == 202
    assert forced.json()["id"] != first["id"]


async def test_replace_needs_confirm_or_a_dry_run_first(client: Client) -> None:
    refused = await client.post("/api/imports", files=upload(), data={"mode": "replace"})
    assert refused.status_code == 409, refused.text

    dry = await client.post(
        "/api/imports", files=upload(), data={"mode": "replace", "dry_run": "true"}
    )
    assert dry.status_code == 202
    after_review = await client.post("/api/imports", files=upload(), data={"mode": "replace"})
    assert after_review.status_code == 202, after_review.text


async def test_a_file_that_is_no_table_is_415_naming_its_type(client: Client) -> None:
    png = {"file": ("roll.csv", b"\x89PNG\r\n\x1a\n" + bytes(64), "text/csv")}

    response = await client.post("/api/imports", files=png)

    assert response.status_code == 415, response.text
    assert "PNG" in response.json()["detail"]


@pytest.fixture
def environment() -> dict[str, str]:
    from tests.unit.conftest import UNIT_ENVIRONMENT

    return {**UNIT_ENVIRONMENT, "IMPORT_MAX_BYTES": "2000"}


async def test_an_upload_over_the_limit_is_413(client: Client) -> None:
    response = await client.post("/api/imports", files=upload(ROLL * 20))

    assert response.status_code == 413, response.text


async def test_a_missing_column_fails_the_job_and_mails_the_reason(
    client: Client, container: Container, imports_store: InMemoryImportsStore
) -> None:
    started = (await client.post("/api/imports", files=upload("Name,Dept\nAda,Maths\n"))).json()

    await _run(container, started["id"])

    job = (await client.get(f"/api/jobs/{started['id']}")).json()
    assert job["state"] == "failed"
    assert "student_id" in job["error"]
    mails = [n for n in imports_store.notifications.rows.values() if n.kind == "import_failed"]
    assert len(mails) == 1
    assert imports_store.voters == {}


async def test_only_the_office_may_import(resident: Caller, technician: Caller) -> None:
    for caller in (resident, technician):
        assert (await caller.post("/api/imports", files=upload())).status_code == 403
        assert (await caller.get("/api/imports")).status_code == 403
