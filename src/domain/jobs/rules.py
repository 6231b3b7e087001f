"""Pure rules of jobs: which state follows which, what progress may say, who may read a job.

Each transition takes a job and returns its next version; the job it was given is unchanged."""

import re
from dataclasses import replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.accounts.model import Principal
from domain.jobs.errors import IllegalTransition
from domain.jobs.model import Job, JobState
from domain.shared.errors import InvalidValue


class JobAction(StrEnum):
    START = "start"
    PROGRESS = "report progress"
    SUCCEED = "succeed"
    FAIL = "fail"


# The broker delivers a task at least once, so a job may be started again while it still says
# running (its worker died) or after it failed (a retry). Success is final: a task that finds
# its job succeeded has nothing left to do. Any unfinished job may fail, even one still queued
# (its input was refused before the work began).
TRANSITIONS: dict[tuple[JobState, JobAction], JobState] = {
    (JobState.QUEUED, JobAction.START): JobState.RUNNING,
    (JobState.RUNNING, JobAction.START): JobState.RUNNING,
    (JobState.FAILED, JobAction.START): JobState.RUNNING,
    (JobState.RUNNING, JobAction.PROGRESS): JobState.RUNNING,
    (JobState.RUNNING, JobAction.SUCCEED): JobState.SUCCEEDED,
    (JobState.QUEUED, JobAction.FAIL): JobState.FAILED,
    (JobState.RUNNING, JobAction.FAIL): JobState.FAILED,
}

MAX_KIND_LENGTH = 64
# Errors are for people reading a status page, not stack traces: long ones are cut.
MAX_ERROR_LENGTH = 2000
_KIND = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


def next_state(current: JobState, action: JobAction) -> JobState:
    try:
        return TRANSITIONS[(current, action)]
    except KeyError:
        raise IllegalTransition(current.value, action.value) from None


def check_kind(kind: str) -> str:
    """A kind names the work the way a task is named: lower-case dotted words (`imports.voters`)."""
    if len(kind) > MAX_KIND_LENGTH or not _KIND.match(kind):
        raise InvalidValue(
            "kind", f"use up to {MAX_KIND_LENGTH} characters of lower-case dotted words"
        )
    return kind


def check_progress(processed: int, total: int | None) -> None:
    if processed < 0:
        raise InvalidValue("processed", "must not be negative")
    if total is not None and total < 0:
        raise InvalidValue("total", "must not be negative")
    if total is not None and processed > total:
        raise InvalidValue("processed", f"{processed} is more than the total of {total}")


def short_error(error: str) -> str:
    cleaned = error.strip() or "failed without a message"
    if len(cleaned) <= MAX_ERROR_LENGTH:
        return cleaned
    return cleaned[: MAX_ERROR_LENGTH - 1] + "…"


def new_job(kind: str, payload: dict[str, Any], created_by: UUID | None, now: datetime) -> Job:
    return Job(
        kind=check_kind(kind),
        payload=payload,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )


def start(job: Job, now: datetime) -> Job:
    """A new attempt: the progress, result and error of an earlier one are forgotten."""
    return replace(
        job,
        state=next_state(job.state, JobAction.START),
        attempts=job.attempts + 1,
        processed=0,
        total=None,
        phase=None,
        result=None,
        error=None,
        started_at=now,
        finished_at=None,
        updated_at=now,
    )


def report_progress(
    job: Job, processed: int, total: int | None, now: datetime, phase: str | None = None
) -> Job:
    """`phase` names what the work does now; None keeps the one reported before."""
    state = next_state(job.state, JobAction.PROGRESS)
    check_progress(processed, total)
    return replace(
        job,
        state=state,
        processed=processed,
        total=total,
        phase=job.phase if phase is None else phase,
        updated_at=now,
    )


def succeed(job: Job, result: dict[str, Any], now: datetime) -> Job:
    state = next_state(job.state, JobAction.SUCCEED)
    # Done means every item, when the job knew how many there were.
    processed = job.processed if job.total is None else job.total
    return replace(
        job, state=state, result=result, processed=processed, finished_at=now, updated_at=now
    )


def fail(job: Job, error: str, now: datetime) -> Job:
    state = next_state(job.state, JobAction.FAIL)
    return replace(job, state=state, error=short_error(error), finished_at=now, updated_at=now)


def may_read_job(caller: Principal, created_by: UUID | None) -> bool:
    """The residence office reads every job; anyone else only the jobs they started. A job the
    system started (no creator) is the office's."""
    return caller.is_office or (created_by is not None and created_by == caller.user_id)
