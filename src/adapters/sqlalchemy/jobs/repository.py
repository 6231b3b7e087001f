from typing import Any
from uuid import UUID

from sqlalchemy import Row, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import jobs
from adapters.sqlalchemy.uow import conflict_from
from domain.jobs.model import Job, JobState
from domain.shared.errors import NotFound


def job_values(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "state": job.state.value,
        "payload": job.payload,
        "created_by": job.created_by,
        "processed": job.processed,
        "total": job.total,
        "result": job.result,
        "error": job.error,
        "attempts": job.attempts,
        "phase": job.phase,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def job_from(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        state=JobState(row.state),
        payload=row.payload,
        created_by=row.created_by,
        processed=row.processed,
        total=row.total,
        result=row.result,
        error=row.error,
        attempts=row.attempts,
        phase=row.phase,
        created_at=row.created_at,
        updated_at=row.updated_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class SqlAlchemyJobRepository:
    """Each call commits on its own, so a job's progress is visible while its task still runs."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, job: Job) -> None:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(insert(jobs).values(job_values(job)))
        except IntegrityError as error:
            raise conflict_from(error) from error

    async def get(self, job_id: UUID) -> Job | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(select(jobs).where(jobs.c.id == job_id))).first()
        return None if row is None else job_from(row)

    async def save(self, job: Job) -> None:
        values = job_values(job)
        del values["id"]
        async with self._engine.begin() as connection:
            changed = await connection.execute(
                update(jobs).where(jobs.c.id == job.id).values(values)
            )
        if changed.rowcount == 0:
            raise NotFound("job", job.id)
