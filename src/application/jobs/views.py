from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.shared.structs import View
from domain.jobs.model import Job, JobState


class JobView(View):
    id: UUID
    kind: Annotated[str, msgspec.Meta(examples=["imports.voters"])]
    state: JobState
    progress: Annotated[
        int, msgspec.Meta(ge=0, le=100, description="Percent done, rounded down.", examples=[40])
    ]
    processed: Annotated[int, msgspec.Meta(description="Items done.", examples=[1200])]
    total: Annotated[
        int | None, msgspec.Meta(description="Items in all, once known.", examples=[3000])
    ]
    result: Annotated[
        dict[str, Any] | None, msgspec.Meta(description="What a succeeded job produced.")
    ]
    error: Annotated[str | None, msgspec.Meta(description="Why a failed job failed.")]
    attempts: int
    created_by: UUID | None
    created_at: datetime
    updated_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    phase: Annotated[
        str | None,
        msgspec.Meta(description="What the work is doing now, when it says.", examples=["writing"]),
    ] = None


def job_view(job: Job) -> JobView:
    return JobView(
        id=job.id,
        kind=job.kind,
        state=job.state,
        progress=job.percent,
        processed=job.processed,
        total=job.total,
        result=job.result,
        error=job.error,
        attempts=job.attempts,
        phase=job.phase,
        created_by=job.created_by,
        created_at=job.created_at,
        updated_at=job.updated_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


def job_event(view: JobView) -> dict[str, Any]:
    """The event pushed on the job's topic: the job as GET /api/jobs/{id} shows it, typed."""
    return {"type": "job", **msgspec.to_builtins(view)}
