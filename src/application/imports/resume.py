"""Imports whose task was lost are handed to a worker again, and given up on after the last
loss (the `imports.resume` task, every minute)."""

import logging
from datetime import timedelta
from uuid import UUID

from application.imports.ports import ImportsUnitOfWorkFactory
from application.imports.run import RunImport
from application.imports.start import RUN_TASK
from application.jobs.ports import JobRepository
from application.shared.ports import BackgroundTasks, Clock
from domain.imports.resume import STALLED_AFTER, ResumeAction, gave_up_message, resume_action

logger = logging.getLogger(__name__)

RESUME_TASK = "imports.resume"
RESUME_BATCH = 100


class ResumeImports:
    """Finds the imports whose job is queued or running but has not moved for
    STALLED_AFTER (its worker died, or the broker lost the task) and hands each to a worker
    again; chunks already committed are skipped, so the counts are those of an uninterrupted
    run. An import whose task was lost MAX_ATTEMPTS times ends as failed, with the emails.
    Run on a schedule; running it twice at once may start one import twice, which its
    idempotent chunks allow."""

    def __init__(
        self,
        uow: ImportsUnitOfWorkFactory,
        jobs: JobRepository,
        run: RunImport,
        tasks: BackgroundTasks,
        clock: Clock,
        stalled_after: timedelta = STALLED_AFTER,
    ) -> None:
        self._uow = uow
        self._jobs = jobs
        self._run = run
        self._tasks = tasks
        self._clock = clock
        self._stalled_after = stalled_after

    async def __call__(self) -> int:
        """Returns how many imports were requeued or given up on."""
        async with self._uow() as uow:
            pending = await uow.imports.unfinished(RESUME_BATCH)
        acted = 0
        for record in pending:
            job = await self._jobs.get(record.id)
            if job is None:
                continue
            now = self._clock.now()
            # A requeued task has not touched its job yet: it is given its own STALLED_AFTER.
            moved = max(job.updated_at, record.resumed_at or job.updated_at)
            action = resume_action(job.state.value, moved, record.resumes, now, self._stalled_after)
            if action is ResumeAction.WAIT:
                continue
            acted += 1
            if action is ResumeAction.GIVE_UP:
                logger.warning("import %s lost its task too often; giving up", record.id)
                await self._run.abandon(record.id, gave_up_message())
                continue
            await self._requeue(record.id)
        return acted

    async def _requeue(self, import_id: UUID) -> None:
        async with self._uow() as uow:
            resumes = await uow.imports.count_resume(import_id, self._clock.now())
            await uow.commit()
        logger.warning("import %s stalled; handing it to a worker again (%d)", import_id, resumes)
        await self._tasks.enqueue(RUN_TASK, import_id=str(import_id))
