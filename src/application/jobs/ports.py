"""Ports of the jobs context. The event bus every context publishes to is in application.shared."""

from typing import Protocol
from uuid import UUID

from domain.jobs.model import Job


class JobRepository(Protocol):
    """Job records. Each call is a transaction of its own: a job is written by the one task
    that runs it, step by step, and each step must be visible to readers at once."""

    async def add(self, job: Job) -> None:
        """Raises Conflict when a job with this id exists."""
        ...

    async def get(self, job_id: UUID) -> Job | None: ...

    async def save(self, job: Job) -> None:
        """Replaces the stored job with this version; raises NotFound when there is none."""
        ...
