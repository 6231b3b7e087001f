"""Backups: start one (202), write it in the background, list, read and download them."""

import dataclasses
import hashlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import UUID

import msgspec

from application.backups.ports import ArchiveStream, BackupRepository, DatabaseSnapshot
from application.backups.views import BackupPage, BackupView, backup_view
from application.jobs.reporter import JobReporter
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from application.storage.ports import FileStorage
from domain.accounts.model import Principal
from domain.backups.model import Backup, BackupState, BackupTrigger, archive_key
from domain.backups.retention import backups_to_delete
from domain.shared.errors import NotFound

logger = logging.getLogger(__name__)

BACKUP_JOB = "backups.create"
RUN_TASK = "backups.run"
NIGHTLY_TASK = "backups.nightly"
# A second delivery of the nightly task within this window is the same night's backup.
SCHEDULE_WINDOW = timedelta(minutes=30)


class Retention(msgspec.Struct, frozen=True, kw_only=True):
    keep_daily: int
    keep_weekly: int


async def _found(backups: BackupRepository, backup_id: UUID) -> Backup:
    backup = await backups.get(backup_id)
    if backup is None:
        raise NotFound("backup", backup_id)
    return backup


async def _hashed(stream: ArchiveStream, digest: "hashlib._Hash") -> AsyncIterator[bytes]:
    async for chunk in stream:
        digest.update(chunk)
        yield chunk


class StartBackup:
    """Starts a backup of the whole database in the background (202).

    - the worker reads every table in one consistent snapshot (a single repeatable-read
      transaction) into a zip archive: one JSON Lines file per table and `manifest.json`
      (schema revision, row counts, SHA-256 of each file, creation time, application version);
    - the archive goes to file storage (STORAGE_URL); `GET /api/backups/{id}/download` streams
      it; `residence restore` loads it into an empty database of either engine;
    - progress is on the job (`GET /api/jobs/{id}`, the same id), counted in tables;
    - after each backup, retention keeps the newest backup of each of the last
      BACKUP_KEEP_DAILY days and BACKUP_KEEP_WEEKLY weeks and deletes the others."""

    def __init__(
        self, backups: BackupRepository, jobs: JobReporter, tasks: BackgroundTasks, clock: Clock
    ) -> None:
        self._backups = backups
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock

    async def __call__(self, caller: Principal) -> BackupView:
        backup = await new_backup(
            self._backups, self._jobs, self._clock, BackupTrigger.MANUAL, caller.user_id
        )
        try:
            await self._tasks.enqueue(RUN_TASK, backup_id=str(backup.id))
        except Exception as error:  # the record stays; the nightly backup runs regardless
            logger.warning("could not start backup %s now (%s)", backup.id, error)
        return backup_view(backup)


async def new_backup(
    backups: BackupRepository,
    jobs: JobReporter,
    clock: Clock,
    trigger: BackupTrigger,
    created_by: UUID | None = None,
) -> Backup:
    job_id = await jobs.create(BACKUP_JOB, {"trigger": trigger.value}, created_by)
    backup = Backup(id=job_id, trigger=trigger, created_at=clock.now(), created_by=created_by)
    await backups.add(backup)
    return backup


class RunBackup:
    """Writes one backup (the task behind StartBackup); a backup already finished is left as
    it is, so a second delivery of the task changes nothing."""

    def __init__(
        self,
        backups: BackupRepository,
        snapshot: DatabaseSnapshot,
        storage: FileStorage,
        jobs: JobReporter,
        clock: Clock,
        retention: Retention,
    ) -> None:
        self._backups = backups
        self._snapshot = snapshot
        self._storage = storage
        self._jobs = jobs
        self._clock = clock
        self._retention = retention

    async def __call__(self, backup_id: UUID) -> BackupView:
        backup = await _found(self._backups, backup_id)
        if backup.state is not BackupState.RUNNING:
            return backup_view(backup)
        await self._jobs.start(backup_id)
        try:
            finished = await self._write(backup)
        except Exception as error:
            logger.exception("backup %s failed", backup_id)
            failed = dataclasses.replace(
                backup, state=BackupState.FAILED, error=str(error), finished_at=self._clock.now()
            )
            await self._backups.save(failed)
            await self._jobs.fail(backup_id, f"the backup failed: {error}")
            return backup_view(failed)
        await self._backups.save(finished)
        await self._jobs.succeed(
            backup_id, {"storage_key": finished.storage_key, "size_bytes": finished.size_bytes}
        )
        await self._prune()
        return backup_view(finished)

    async def _write(self, backup: Backup) -> Backup:
        async def progress(done: int, total: int) -> None:
            await self._jobs.progress(backup.id, done, total)

        key = archive_key(backup.id, backup.created_at)
        stream = self._snapshot.archive(backup.created_at, progress)
        digest = hashlib.sha256()
        size = await self._storage.put(key, _hashed(stream, digest))
        assert stream.manifest is not None, "the archive stream ended without its manifest"
        return dataclasses.replace(
            backup,
            state=BackupState.SUCCEEDED,
            storage_key=key,
            size_bytes=size,
            sha256=digest.hexdigest(),
            schema_revision=stream.manifest.schema_revision,
            row_counts=stream.manifest.row_counts,
            finished_at=self._clock.now(),
        )

    async def _prune(self) -> None:
        kept = await self._backups.succeeded()
        doomed = backups_to_delete(
            [(backup.id, backup.created_at) for backup in kept],
            self._retention.keep_daily,
            self._retention.keep_weekly,
        )
        for backup in kept:
            if backup.id in doomed:
                if backup.storage_key is not None:
                    await self._storage.delete(backup.storage_key)
                await self._backups.delete(backup.id)
                logger.info("retention deleted backup %s of %s", backup.id, backup.created_at)


class BackUpNow:
    """A backup written at once, in the caller's process: the nightly schedule and
    `residence backup`. A second delivery of the nightly task within SCHEDULE_WINDOW returns
    the backup the first one made."""

    def __init__(
        self, backups: BackupRepository, jobs: JobReporter, run: RunBackup, clock: Clock
    ) -> None:
        self._backups = backups
        self._jobs = jobs
        self._run = run
        self._clock = clock

    async def __call__(self, trigger: BackupTrigger) -> BackupView:
        if trigger is BackupTrigger.SCHEDULED:
            latest, _ = await self._backups.page(PageRequest(limit=1))
            recent = self._clock.now() - SCHEDULE_WINDOW
            if latest and latest[0].trigger is trigger and latest[0].created_at > recent:
                return backup_view(latest[0])
        backup = await new_backup(self._backups, self._jobs, self._clock, trigger)
        return await self._run(backup.id)


class ListBackups:
    """Lists backups, newest first."""

    def __init__(self, backups: BackupRepository) -> None:
        self._backups = backups

    async def __call__(self, page: PageRequest) -> BackupPage:
        items, total = await self._backups.page(page)
        return BackupPage(
            items=[backup_view(backup) for backup in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )


class GetBackup:
    """Reads one backup: its state, archive key, size, SHA-256, schema revision and rows per
    table."""

    def __init__(self, backups: BackupRepository) -> None:
        self._backups = backups

    async def __call__(self, backup_id: UUID) -> BackupView:
        return backup_view(await _found(self._backups, backup_id))


@dataclasses.dataclass(frozen=True)
class BackupDownload:
    file_name: str
    size_bytes: int | None
    chunks: AsyncIterator[bytes]


class DownloadBackup:
    """Streams a finished backup's archive (a zip file); a backup still running, failed or
    deleted by retention answers 404."""

    def __init__(self, backups: BackupRepository, storage: FileStorage) -> None:
        self._backups = backups
        self._storage = storage

    async def __call__(self, backup_id: UUID) -> BackupDownload:
        backup = await _found(self._backups, backup_id)
        if backup.state is not BackupState.SUCCEEDED or backup.storage_key is None:
            raise NotFound("backup archive", backup_id)
        chunks = await self._storage.open(backup.storage_key)
        return BackupDownload(
            file_name=backup.storage_key.rsplit("/", 1)[-1],
            size_bytes=backup.size_bytes,
            chunks=chunks,
        )
