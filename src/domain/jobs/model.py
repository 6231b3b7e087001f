"""Jobs: work that runs in the background and reports how far it got."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID, uuid4


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


FINISHED = frozenset({JobState.SUCCEEDED, JobState.FAILED})


@dataclass(frozen=True, slots=True)
class Job:
    """One record per piece of background work. Frozen: the rules in `rules.py` return the next
    version of a job rather than changing it."""

    kind: str
    created_at: datetime
    updated_at: datetime
    # What the work needs to run: a task given only the job id reads it from here.
    payload: dict[str, Any] = field(default_factory=dict)
    created_by: UUID | None = None
    state: JobState = JobState.QUEUED
    # Items done, of `total` when that is known.
    processed: int = 0
    total: int | None = None
    result: dict[str, Any] | None = None
    error: str | None = None
    attempts: int = 0
    # What the work is doing now (an import: reading, validating, writing, reporting).
    phase: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int:
        """0 to 100, rounded down so that 100 means done; a succeeded job is always at 100."""
        if self.state is JobState.SUCCEEDED or self.total == 0:
            return 100
        if self.total is None:
            return 0
        return min(100, self.processed * 100 // self.total)
