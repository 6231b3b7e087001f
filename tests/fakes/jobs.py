"""In-memory fakes of the jobs repository and the event bus."""

import copy
from collections.abc import Mapping
from typing import Any
from uuid import UUID

import msgspec

from domain.jobs.model import Job
from domain.shared.errors import Conflict, NotFound


class InMemoryJobRepository:
    def __init__(self) -> None:
        self.jobs: dict[UUID, Job] = {}

    async def add(self, job: Job) -> None:
        if job.id in self.jobs:
            raise Conflict("id is already taken", field="id")
        self.jobs[job.id] = copy.deepcopy(job)

    async def get(self, job_id: UUID) -> Job | None:
        job = self.jobs.get(job_id)
        return None if job is None else copy.deepcopy(job)

    async def save(self, job: Job) -> None:
        if job.id not in self.jobs:
            raise NotFound("job", job.id)
        self.jobs[job.id] = copy.deepcopy(job)


class RecordingEventBus:
    """Keeps every event as the wire would carry it: encoded to JSON and decoded again, so an
    event that would not survive the real bus fails here too."""

    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []

    async def publish(self, topic: str, event: Mapping[str, Any]) -> None:
        self.published.append((topic, msgspec.json.decode(msgspec.json.encode(event))))

    def on(self, topic: str) -> list[dict[str, Any]]:
        return [event for published_on, event in self.published if published_on == topic]
