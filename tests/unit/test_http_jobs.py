"""GET /api/jobs/{id}: the office reads every job, anyone else only the jobs they started."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from domain.jobs import rules
from tests.fakes import InMemoryJobRepository
from tests.unit.accounts_api import Caller

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


async def a_job(jobs: InMemoryJobRepository, created_by: str | None) -> str:
    creator = None if created_by is None else UUID(created_by)
    job = rules.new_job("imports.voters", {"secret": "payload"}, creator, NOW)
    job = rules.report_progress(rules.start(job, NOW), 2, 8, NOW, "writing")
    await jobs.add(job)
    return str(job.id)


async def test_a_job_reads_as_its_state_progress_and_timestamps(
    staff: Caller, job_repository: InMemoryJobRepository
) -> None:
    job_id = await a_job(job_repository, None)

    response = await staff.get(f"/api/jobs/{job_id}")

    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.json() == {
        "id": job_id,
        "kind": "imports.voters",
        "state": "running",
        "progress": 25,
        "processed": 2,
        "total": 8,
        "result": None,
        "error": None,
        "attempts": 1,
        "created_by": None,
        "created_at": "2026-09-01T09:00:00Z",
        "updated_at": "2026-09-01T09:00:00Z",
        "started_at": "2026-09-01T09:00:00Z",
        "finished_at": None,
        "phase": "writing",
    }


@pytest.fixture
def caller(
    request: pytest.FixtureRequest,
    admin: Caller,
    staff: Caller,
    technician: Caller,
    resident: Caller,
) -> Caller:
    """The caller of the role a test is parametrized with (indirectly)."""
    callers = {"admin": admin, "staff": staff, "technician": technician, "resident": resident}
    return callers[request.param]


@pytest.mark.parametrize("caller", ["admin", "staff", "technician", "resident"], indirect=True)
async def test_each_role_reads_the_jobs_it_started(
    caller: Caller, job_repository: InMemoryJobRepository
) -> None:
    job_id = await a_job(job_repository, caller.user_id)

    response = await caller.get(f"/api/jobs/{job_id}")

    assert response.status_code == 200, response.text
    assert response.json()["created_by"] == caller.user_id


async def test_the_office_reads_every_job_and_no_one_else_reads_anothers(
    admin: Caller,
    staff: Caller,
    technician: Caller,
    resident: Caller,
    job_repository: InMemoryJobRepository,
) -> None:
    residents_job = await a_job(job_repository, resident.user_id)
    system_job = await a_job(job_repository, None)
    answers = {
        (name, job): (await caller.get(f"/api/jobs/{job_id}")).status_code
        for name, caller in [("admin", admin), ("staff", staff), ("technician", technician)]
        for job, job_id in [("resident's", residents_job), ("system", system_job)]
    }
    answers["resident", "system"] = (await resident.get(f"/api/jobs/{system_job}")).status_code

    assert answers == {
        ("admin", "resident's"): 200,
        ("admin", "system"): 200,
        ("staff", "resident's"): 200,
        ("staff", "system"): 200,
        ("technician", "resident's"): 404,
        ("technician", "system"): 404,
        ("resident", "system"): 404,
    }


async def test_another_callers_job_answers_like_a_missing_one(
    resident: Caller, technician: Caller, job_repository: InMemoryJobRepository
) -> None:
    theirs = await a_job(job_repository, technician.user_id)

    hidden = await resident.get(f"/api/jobs/{theirs}")
    missing = await resident.get(f"/api/jobs/{uuid4()}")

    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert hidden.headers["content-type"] == missing.headers["content-type"]
    assert hidden.json()["title"] == missing.json()["title"] == "Not Found"
    assert "payload" not in hidden.text


async def test_reading_a_job_needs_a_token(
    anonymous: Caller, job_repository: InMemoryJobRepository
) -> None:
    job_id = await a_job(job_repository, None)

    response = await anonymous.get(f"/api/jobs/{job_id}")

    assert response.status_code == 401


async def test_a_token_in_the_query_string_is_not_accepted_over_http(
    anonymous: Caller, staff: Caller, job_repository: InMemoryJobRepository
) -> None:
    # Only a WebSocket, which cannot send headers from a browser, takes its token from the URL.
    job_id = await a_job(job_repository, None)

    response = await anonymous.get(f"/api/jobs/{job_id}", params={"token": staff.token})

    assert response.status_code == 401
