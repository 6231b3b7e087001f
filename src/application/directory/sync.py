"""The student-directory sync: start a run (202), run it, read the reports."""

import dataclasses
import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

import msgspec

from application.directory.ports import DirectoryRead, StudentDirectory, SyncStore
from application.directory.views import SyncRunPage, SyncRunView, sync_run_view
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.directory.model import DirectoryEntry, SyncPlan, SyncRun
from domain.directory.rules import parse_entry, reconcile
from domain.shared.errors import Conflict, InvalidValue, NotFound

logger = logging.getLogger(__name__)

SYNC_JOB = "directory.sync"
RUN_TASK = "directory.run"
SCHEDULED_TASK = "directory.sync"
# What a run's report keeps of its changes: enough to review, bounded for the largest feeds.
MAX_CHANGES_KEPT = 5000
SCHEDULE_WINDOW = timedelta(minutes=30)


class SyncPolicy(msgspec.Struct, frozen=True, kw_only=True):
    absence_runs: int
    admin_email: str | None


def _parsed(read: DirectoryRead) -> tuple[list[DirectoryEntry], list[dict[str, str]]]:
    entries, errors = [], []
    for record in read.records:
        try:
            entries.append(parse_entry(record.values))
        except InvalidValue as error:
            errors.append({"where": record.where, "field": error.field, "message": error.reason})
    return entries, errors


def _changes(plan: SyncPlan, student_ids: dict[UUID, str]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = [
        {"student_id": entry.student_id, "action": "create", "fields": entry.values()}
        for entry in plan.creates
    ]
    changes += [
        {
            "student_id": update.student_id,
            "action": "update",
            "fields": {name: list(values) for name, values in update.changes.items()},
        }
        for update in plan.updates
    ]
    changes += [
        {"student_id": student_ids[resident_id], "action": "deactivate", "fields": {}}
        for resident_id in plan.deactivations
    ]
    return changes[:MAX_CHANGES_KEPT]


async def new_run(
    store: SyncStore,
    jobs: JobReporter,
    clock: Clock,
    source: str,
    dry_run: bool,
    created_by: UUID | None = None,
) -> SyncRun:
    job_id = await jobs.create(SYNC_JOB, {"dry_run": dry_run}, created_by)
    run = SyncRun(
        id=job_id, source=source, dry_run=dry_run, created_at=clock.now(), created_by=created_by
    )
    await store.add_run(run)
    return run


class StartSync:
    """Starts a sync with the student directory in the background (202).

    - residents are matched by `student_id`: new students are registered (as applicants),
      changed directory fields are updated, except those locked on the resident
      (`locked_fields`); an entry whose email another student uses is reported, not applied;
    - nobody is deleted: a resident missing from SYNC_ABSENCE_RUNS runs in a row becomes
      `former`;
    - `dry_run=true` computes the report and the diff (`changes`) and changes nothing;
    - the report is at `GET /api/sync-runs/{id}`, progress on the job of the same id; when a
      run fails, ADMIN_EMAIL is mailed;
    - 409 when no directory is configured (DIRECTORY_DROP_DIR or DIRECTORY_FEED_URL)."""

    def __init__(
        self,
        store: SyncStore,
        directory: StudentDirectory,
        jobs: JobReporter,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        self._store = store
        self._directory = directory
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock

    async def __call__(self, caller: Principal, dry_run: bool) -> SyncRunView:
        if self._directory.source == "none":
            raise Conflict(
                "no student directory is configured (DIRECTORY_DROP_DIR or DIRECTORY_FEED_URL)",
                field="source",
            )
        run = await new_run(
            self._store, self._jobs, self._clock, self._directory.source, dry_run, caller.user_id
        )
        try:
            await self._tasks.enqueue(RUN_TASK, run_id=str(run.id))
        except Exception as error:  # the run is recorded; the scheduled sync runs regardless
            logger.warning("could not start sync run %s now (%s)", run.id, error)
        return sync_run_view(run)


class RunSync:
    """Runs one sync (the task behind StartSync and the schedule); a run already finished is
    left as it is, and absences are counted once per run, so a second delivery changes
    nothing."""

    def __init__(
        self,
        store: SyncStore,
        directory: StudentDirectory,
        jobs: JobReporter,
        notifier: Notifier,
        clock: Clock,
        policy: SyncPolicy,
    ) -> None:
        self._store = store
        self._directory = directory
        self._jobs = jobs
        self._notifier = notifier
        self._clock = clock
        self._policy = policy

    async def __call__(self, run_id: UUID) -> SyncRunView:
        run = await self._store.get_run(run_id)
        if run is None:
            raise NotFound("sync run", run_id)
        if run.state != "running":
            return sync_run_view(run)
        await self._jobs.start(run_id)
        try:
            finished = await self._sync(run)
        except Exception as error:
            logger.exception("directory sync %s failed", run_id)
            return await self._fail(run, str(error) or type(error).__name__)
        await self._store.finish_run(finished, [])
        await self._jobs.succeed(run_id, {"created": finished.created, "updated": finished.updated})
        return sync_run_view(finished)

    async def _sync(self, run: SyncRun) -> SyncRun:
        read = await self._directory.read()
        if read is None:  # nothing new: no one is counted absent
            return dataclasses.replace(run, state="succeeded", finished_at=self._clock.now())
        entries, errors = _parsed(read)
        known = await self._store.known_residents()
        plan = reconcile(entries, known, run.id, self._policy.absence_runs)
        if not run.dry_run:
            await self._store.apply(plan, run.id, self._clock.now())
            await self._directory.acknowledge(read)
        errors += [
            {"where": student_id, "field": "email", "message": reason}
            for student_id, reason in plan.refused
        ]
        return dataclasses.replace(
            run,
            state="succeeded",
            created=len(plan.creates),
            updated=len(plan.updates),
            unchanged=plan.unchanged,
            deactivated=len(plan.deactivations),
            errors=errors[:MAX_CHANGES_KEPT],
            changes=_changes(plan, {resident.id: resident.student_id for resident in known}),
            finished_at=self._clock.now(),
        )

    async def _fail(self, run: SyncRun, reason: str) -> SyncRunView:
        failed = dataclasses.replace(
            run, state="failed", failure=reason, finished_at=self._clock.now()
        )
        notices = []
        if self._policy.admin_email is not None:
            data = {"run_id": str(run.id), "source": run.source, "error": reason}
            notices.append(
                self._notifier.email(
                    "sync_failed", to=self._policy.admin_email, data=data, source=f"sync:{run.id}"
                )
            )
        await self._store.finish_run(failed, notices)
        if notices:
            await self._notifier.deliver_soon()
        await self._jobs.fail(run.id, f"the sync failed: {reason}")
        return sync_run_view(failed)


class SyncNow:
    """The scheduled sync, run at once in the worker. A second delivery of the schedule within
    SCHEDULE_WINDOW returns the first's run, so absences are not counted twice."""

    def __init__(
        self,
        store: SyncStore,
        directory: StudentDirectory,
        jobs: JobReporter,
        run: RunSync,
        clock: Clock,
    ) -> None:
        self._store = store
        self._directory = directory
        self._jobs = jobs
        self._run = run
        self._clock = clock

    async def __call__(self) -> SyncRunView:
        latest, _ = await self._store.page_runs(PageRequest(limit=1))
        recent = self._clock.now() - SCHEDULE_WINDOW
        if latest and latest[0].created_by is None and latest[0].created_at > recent:
            return sync_run_view(latest[0])
        run = await new_run(self._store, self._jobs, self._clock, self._directory.source, False)
        return await self._run(run.id)


class ListSyncRuns:
    """Lists sync runs with their reports, newest first."""

    def __init__(self, store: SyncStore) -> None:
        self._store = store

    async def __call__(self, page: PageRequest) -> SyncRunPage:
        items, total = await self._store.page_runs(page)
        return SyncRunPage(
            items=[sync_run_view(run) for run in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )


class GetSyncRun:
    """One sync run's report: created, updated, unchanged, deactivated, errors and changes."""

    def __init__(self, store: SyncStore) -> None:
        self._store = store

    async def __call__(self, run_id: UUID) -> SyncRunView:
        run = await self._store.get_run(run_id)
        if run is None:
            raise NotFound("sync run", run_id)
        return sync_run_view(run)
