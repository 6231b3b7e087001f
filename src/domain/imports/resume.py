"""Imports whose task was lost: when to hand them to a worker again, and when to give up.

A worker that dies in the middle of an import (killed, out of memory, redeployed) leaves its
job queued or running with no progress. Chunks are idempotent, so running the import again
from the start finishes it with the same counts; a file that kills its worker every time
must not be retried forever.
"""

from datetime import datetime, timedelta
from enum import StrEnum

from domain.imports.model import MAX_ATTEMPTS

# No progress for this long means the task was lost; a chunk takes seconds, so this is far
# above any healthy pause (a large spreadsheet is parsed before its first chunk).
STALLED_AFTER = timedelta(minutes=10)


class ResumeAction(StrEnum):
    WAIT = "wait"
    REQUEUE = "requeue"
    GIVE_UP = "give_up"


def resume_action(
    job_state: str,
    last_progress_at: datetime,
    resumes: int,
    now: datetime,
    stalled_after: timedelta = STALLED_AFTER,
) -> ResumeAction:
    """For an unfinished import: wait while its job is finished or still moving; otherwise its
    task was lost once more than it was resumed, and the MAX_ATTEMPTS-th loss gives up."""
    if job_state not in ("queued", "running"):
        return ResumeAction.WAIT
    if now - last_progress_at < stalled_after:
        return ResumeAction.WAIT
    if resumes + 1 >= MAX_ATTEMPTS:
        return ResumeAction.GIVE_UP
    return ResumeAction.REQUEUE


def gave_up_message(lost: int = MAX_ATTEMPTS) -> str:
    return (
        f"the import's task was lost {lost} times (its worker stopped without finishing it); "
        "giving up. The file may be too large or damaged for a worker: check it and upload "
        "it again"
    )
