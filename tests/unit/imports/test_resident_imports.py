"""Resident imports and rejected.csv over HTTP on fakes: residents appear in the housing
records, updates change only the file's columns, replace is refused, and the rows not stored
come back in their own columns with an error, formulas defused."""

import csv
import io
from uuid import UUID

from entrypoints.container import Container
from tests.fakes import InMemoryImportsStore, InMemoryJobRepository
from tests.unit.accounts_api import Caller
from tests.unit.housing_api import Client, register_resident

RESIDENTS = (
    "Matric No,Full Name,E-mail,Phone,Sex,DOB,Notes\n"
    "00412345,Okafor Ada,ada.okafor@example.edu,+44 7700 900456,F,2004-03-01,=HYPERLINK()\n"
    "00412346,Alan Turing,alan@example.edu,,male,,\n"
    "00412347,Grace Hopper,not-an-email,,female,,x\n"
    "00412346,Alan Again,alan2@example.edu,,,,\n"
)


def upload(body: str, name: str = "residents.csv") -> dict[str, tuple[str, bytes, str]]:
    return {"file": (name, body.encode(), "text/csv")}


async def _imported(client: Client, container: Container, body: str, **form: str) -> str:
    response = await client.post(
        "/api/residents/import", files=upload(body), data={"force": "true", **form}
    )
    assert response.status_code == 202, response.text
    assert response.json()["kind"] == "residents"
    await container.imports.run_import()(UUID(response.json()["id"]))
    return str(response.json()["id"])


async def test_a_residents_file_registers_residents_and_reports(
    client: Client, container: Container
) -> None:
    import_id = await _imported(client, container, RESIDENTS)

    report = (await client.get(f"/api/imports/{import_id}")).json()["report"]
    assert (report["created"], report["invalid"], report["duplicates"]) == (2, 1, 1)
    listed = (await client.get("/api/residents", params={"q": "00412345"})).json()["items"]
    assert [(r["first_name"], r["last_name"], r["phone"]) for r in listed] == [
        ("Okafor", "Ada", "+447700900456")
    ]
    assert listed[0]["status"] == "applicant"


async def test_an_update_changes_only_the_columns_the_file_has(
    client: Client, container: Container
) -> None:
    registered = await register_resident(client, phone="+447700900999", department="Physics")

    import_id = await _imported(
        client,
        container,
        "Student ID,First Name,Last Name,Email\n00412345,Ada,Okafor-Ng,ada.okafor@example.edu\n",
    )

    report = (await client.get(f"/api/imports/{import_id}")).json()["report"]
    assert report["updated"] == 1
    resident = (await client.get(f"/api/residents/{registered['id']}")).json()
    assert (resident["last_name"], resident["phone"]) == ("Okafor-Ng", "+447700900999")
    assert resident["department"] == "Physics"


async def test_an_email_of_another_resident_rejects_the_row(
    client: Client, container: Container
) -> None:
    await register_resident(client)
    body = "Student ID,First Name,Last Name,Email\n999,Eve,Smith,ada.okafor@example.edu\n"

    import_id = await _imported(client, container, body)

    report = (await client.get(f"/api/imports/{import_id}")).json()["report"]
    assert (report["created"], report["invalid"]) == (0, 1)
    rejected = (await client.get(f"/api/imports/{import_id}/rejected.csv")).text
    assert "already belongs to another student" in rejected


async def test_replace_is_refused_for_residents_naming_the_mode(client: Client) -> None:
    response = await client.post(
        "/api/imports",
        files=upload(RESIDENTS),
        data={"kind": "residents", "mode": "replace", "confirm": "true"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "mode"


async def test_the_shortcut_refuses_another_kind(client: Client) -> None:
    response = await client.post(
        "/api/residents/import", files=upload(RESIDENTS), data={"kind": "voters"}
    )

    assert response.status_code == 422, response.text


async def test_rejected_csv_gives_the_rows_in_their_columns_with_the_error(
    client: Client, container: Container
) -> None:
    import_id = await _imported(client, container, RESIDENTS)

    response = await client.get(f"/api/imports/{import_id}/rejected.csv")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["Matric No", "Full Name", "E-mail", "Phone", "Sex", "DOB", "Notes", "error"]
    assert [row[0] for row in rows[1:]] == ["00412347", "00412346"]
    assert rows[1][:7] == ["00412347", "Grace Hopper", "not-an-email", "", "female", "", "x"]
    assert rows[1][7].startswith("E-mail: ")
    assert "already appears on line 3" in rows[2][7]


async def test_rejected_csv_defuses_formulas(client: Client, container: Container) -> None:
    body = "Student ID,First Name,Last Name,Email\n=1+2,@SUM(A1),-3,+x@example.edu\n"
    import_id = await _imported(client, container, body)

    rows = list(
        csv.reader(io.StringIO((await client.get(f"/api/imports/{import_id}/rejected.csv")).text))
    )

    assert rows[1][:4] == ["'=1+2", "'@SUM(A1)", "'-3", "'+x@example.edu"]


async def test_rejected_csv_of_an_unknown_import_is_404(client: Client) -> None:
    response = await client.get(f"/api/imports/{UUID(int=7)}/rejected.csv")

    assert response.status_code == 404


async def test_progress_reports_rows_estimated_and_phase(
    client: Client,
    container: Container,
    imports_store: InMemoryImportsStore,
    job_repository: InMemoryJobRepository,
) -> None:
    import_id = await _imported(client, container, RESIDENTS)

    job = job_repository.jobs[UUID(import_id)]
    assert (job.processed, job.total, job.phase) == (4, 4, "reporting")
    status = (await client.get(f"/api/task-status/{import_id}")).json()
    assert status["progress"] == {"rows_done": 4, "rows_estimated": 4, "phase": "succeeded"}


async def test_only_the_office_may_import_residents(resident: Caller) -> None:
    response = await resident.post("/api/residents/import", files=upload(RESIDENTS))

    assert response.status_code == 403
