"""/api/sync-runs over HTTP on the app built from fakes: the office starts a run (202), reads
its report; a dry run only reports; a failed run mails ADMIN_EMAIL through the outbox."""

from uuid import UUID

import pytest

from entrypoints.container import Container
from tests.fakes import InMemoryAccountsStore
from tests.fakes.directory import InMemoryStudentDirectory
from tests.unit.accounts_api import Caller
from tests.unit.conftest import UNIT_ENVIRONMENT
from tests.unit.housing_api import Json

STUDENT: Json = {
    "student_id": "00900",
    "first_name": "Grace",
    "last_name": "Hopper",
    "email": "grace@example.edu",
    "year_of_study": 3,
}


@pytest.fixture
def environment() -> dict[str, str]:
    return {**UNIT_ENVIRONMENT, "ADMIN_EMAIL": "warden@example.edu"}


def _directory(container: Container) -> InMemoryStudentDirectory:
    directory = container.student_directory()
    assert isinstance(directory, InMemoryStudentDirectory)
    return directory


async def _run(staff: Caller, container: Container, *, dry_run: bool) -> Json:
    response = await staff.post("/api/sync-runs", json={"dry_run": dry_run})
    assert response.status_code == 202, response.text
    run_id = response.json()["id"]
    await container.directory.run_sync()(UUID(run_id))
    report = await staff.get(f"/api/sync-runs/{run_id}")
    assert report.status_code == 200
    result: Json = report.json()
    return result


async def test_a_dry_run_reports_the_diff_and_changes_nothing(
    staff: Caller, container: Container
) -> None:
    _directory(container).records = [STUDENT, {"student_id": "1", "email": "broken"}]

    report = await _run(staff, container, dry_run=True)

    assert (report["state"], report["created"], report["dry_run"]) == ("succeeded", 1, True)
    assert report["changes"][0]["student_id"] == "00900"
    assert report["changes"][0]["action"] == "create"
    assert [error["where"] for error in report["errors"]] == ["item 2"]
    residents = (await staff.get("/api/residents")).json()
    assert residents["total"] == 0
    assert _directory(container).acknowledged == 0


async def test_a_run_registers_new_students_and_lists_its_report(
    staff: Caller, container: Container
) -> None:
    _directory(container).records = [STUDENT]

    report = await _run(staff, container, dry_run=False)

    assert report["created"] == 1
    residents = (await staff.get("/api/residents")).json()["items"]
    assert [(r["student_id"], r["status"], r["year_of_study"]) for r in residents] == [
        ("00900", "applicant", 3)
    ]
    listed = (await staff.get("/api/sync-runs")).json()
    assert [item["id"] for item in listed["items"]] == [report["id"]]


async def test_a_failed_run_mails_the_admin(
    staff: Caller, container: Container, accounts_store: InMemoryAccountsStore
) -> None:
    _directory(container).failure = "feed unreachable"

    report = await _run(staff, container, dry_run=False)

    assert (report["state"], report["failure"]) == ("failed", "feed unreachable")
    mails = [n for n in accounts_store.notifications.rows.values() if n.kind == "sync_failed"]
    assert [(mail.recipient_address, mail.data["error"]) for mail in mails] == [
        ("warden@example.edu", "feed unreachable")
    ]
    job = (await staff.get(f"/api/jobs/{report['id']}")).json()
    assert job["state"] == "failed"


async def test_residents_and_technicians_may_not_sync(resident: Caller, technician: Caller) -> None:
    for caller in (resident, technician):
        assert (await caller.post("/api/sync-runs", json={})).status_code == 403
        assert (await caller.get("/api/sync-runs")).status_code == 403


async def test_unknown_body_fields_are_refused(staff: Caller) -> None:
    response = await staff.post("/api/sync-runs", json={"dry": True})

    assert response.status_code == 422
