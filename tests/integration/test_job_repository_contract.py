"""The job repository's contract: the same assertions against the in-memory fake, SQLite and
PostgreSQL."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.sqlalchemy.jobs.repository import SqlAlchemyJobRepository
from application.jobs.ports import JobRepository
from domain.jobs import rules
from domain.jobs.model import Job, JobState
from domain.shared.errors import Conflict, NotFound
from tests.fakes import InMemoryJobRepository
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

# Microseconds included: a round trip that lost them would show here.
NOW = datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=ALL_BACKENDS)
def jobs(request: pytest.FixtureRequest) -> JobRepository:
    if request.param == "memory":
        return InMemoryJobRepository()
    return SqlAlchemyJobRepository(engine_for(request, request.param))


def a_job(**changes: object) -> Job:
    job = rules.new_job("imports.voters", {"upload": "roll.xlsx", "sheet": 1}, uuid4(), NOW)
    return replace(job, **changes)  # type: ignore[arg-type]


async def test_a_queued_job_round_trips_every_field(jobs: JobRepository) -> None:
    job = a_job()

    await jobs.add(job)

    assert await jobs.get(job.id) == job


async def test_a_finished_job_round_trips_every_field(jobs: JobRepository) -> None:
    started = rules.start(a_job(created_by=None), NOW + timedelta(seconds=1))
    progressed = rules.report_progress(started, 40, 2**40, NOW + timedelta(seconds=2))
    done = rules.succeed(
        progressed,
        {"imported": 2**40, "rows": [{"line": 2, "note": "ß ✓"}], "empty": None},
        NOW + timedelta(minutes=3, microseconds=7),
    )

    await jobs.add(done)

    stored = await jobs.get(done.id)
    assert stored == done
    assert stored is not None
    assert (stored.state, stored.processed, stored.total) == (JobState.SUCCEEDED, 2**40, 2**40)


async def test_save_replaces_the_stored_version(jobs: JobRepository) -> None:
    job = a_job()
    await jobs.add(job)
    other = a_job()
    await jobs.add(other)

    failed = rules.fail(rules.start(job, NOW), "x" * 5000, NOW + timedelta(seconds=5))
    await jobs.save(failed)

    assert await jobs.get(job.id) == failed
    assert await jobs.get(other.id) == other
    stored = await jobs.get(job.id)
    assert stored is not None
    assert stored.error is not None
    assert len(stored.error) == rules.MAX_ERROR_LENGTH


async def test_a_second_job_with_the_same_id_is_a_conflict(jobs: JobRepository) -> None:
    job = a_job()
    await jobs.add(job)

    with pytest.raises(Conflict):
        await jobs.add(a_job(id=job.id, kind="backups.run"))

    assert await jobs.get(job.id) == job


async def test_missing_jobs(jobs: JobRepository) -> None:
    assert await jobs.get(uuid4()) is None
    with pytest.raises(NotFound):
        await jobs.save(a_job())
