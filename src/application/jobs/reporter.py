from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

import msgspec

from application.jobs.ports import JobRepository
from application.jobs.views import JobView, job_event, job_view
from application.shared.ports import Clock, EventBus
from domain.events.topics import job_topic
from domain.jobs import rules
from domain.jobs.model import Job
from domain.shared.errors import InvalidValue, NotFound


def _json_object(field: str, value: Mapping[str, Any] | None) -> dict[str, Any]:
    """Plain JSON values, so that what is stored is what every reader decodes (dates, UUIDs and
    decimals become strings)."""
    try:
        converted = msgspec.to_builtins(dict(value or {}), str_keys=True)
    except TypeError as error:
        raise InvalidValue(field, f"must hold only JSON values ({error})") from error
    assert isinstance(converted, dict)
    return converted


class JobReporter:
    """What background work uses to keep its job record up to date.

    - `create` records a queued job and returns its id (the API answers 202 with it);
    - `start` begins an attempt: allowed from queued, from failed (a retry) and from running (the
      broker redelivered the task of a worker that died); never after success;
    - `progress` says how many items are done, of how many when known, while running;
    - `succeed` (with a result) and `fail` (with a reason) finish it.

    Every change is saved first and then published on `jobs.{id}` as `{"type": "job", ...}`
    with the fields of GET /api/jobs/{id}, so a client sees nothing the database does not.
    Report progress per batch, not per item: each report is a write and an event."""

    def __init__(self, jobs: JobRepository, events: EventBus, clock: Clock) -> None:
        self._jobs = jobs
        self._events = events
        self._clock = clock

    async def create(
        self, kind: str, payload: Mapping[str, Any] | None = None, created_by: UUID | None = None
    ) -> UUID:
        job = rules.new_job(kind, _json_object("payload", payload), created_by, self._clock.now())
        await self._jobs.add(job)
        await self._publish(job)
        return job.id

    async def view(self, job_id: UUID) -> JobView:
        return job_view(await self._load(job_id))

    async def payload(self, job_id: UUID) -> dict[str, Any]:
        return (await self._load(job_id)).payload

    async def start(self, job_id: UUID) -> JobView:
        return await self._change(job_id, lambda job: rules.start(job, self._clock.now()))

    async def progress(
        self, job_id: UUID, processed: int, total: int | None = None, phase: str | None = None
    ) -> JobView:
        return await self._change(
            job_id,
            lambda job: rules.report_progress(job, processed, total, self._clock.now(), phase),
        )

    async def succeed(self, job_id: UUID, result: Mapping[str, Any] | None = None) -> JobView:
        outcome = _json_object("result", result)
        return await self._change(
            job_id, lambda job: rules.succeed(job, outcome, self._clock.now())
        )

    async def fail(self, job_id: UUID, error: str) -> JobView:
        return await self._change(job_id, lambda job: rules.fail(job, error, self._clock.now()))

    async def _load(self, job_id: UUID) -> Job:
        job = await self._jobs.get(job_id)
        if job is None:
            raise NotFound("job", job_id)
        return job

    async def _change(self, job_id: UUID, step: Callable[[Job], Job]) -> JobView:
        changed = step(await self._load(job_id))
        await self._jobs.save(changed)
        return await self._publish(changed)

    async def _publish(self, job: Job) -> JobView:
        view = job_view(job)
        await self._events.publish(job_topic(job.id), job_event(view))
        return view
