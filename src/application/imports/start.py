"""Starting an import: the upload is checked, recorded as a job and handed to a worker."""

import asyncio
import logging
from pathlib import Path
from uuid import UUID

import msgspec

from application.accounts.ports import AccountQueries
from application.imports.ports import ImportsUnitOfWorkFactory, SheetReader
from application.imports.views import ImportView, StartImportCommand, import_view
from application.jobs.reporter import JobReporter
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.imports.headers import ImportKind
from domain.imports.model import (
    ImportMode,
    ImportRecord,
    UploadedFile,
    check_mode_allowed,
    check_replace_allowed,
    is_repeat,
)
from domain.jobs.model import JobState

logger = logging.getLogger(__name__)

RUN_TASK = "imports.run"
IMPORT_JOBS = {ImportKind.VOTERS: "imports.voters", ImportKind.RESIDENTS: "imports.residents"}


class StartedImport(msgspec.Struct, frozen=True, kw_only=True):
    view: ImportView
    # False when an earlier import of the same file was returned: the new upload is not needed.
    upload_kept: bool


class StartImport:
    """Starts importing an uploaded voter roll or residents list in the background (202).

    - the file type is read from the content, not the name: CSV (any common encoding and
      delimiter), XLSX, XLSM, XLSB, XLS or ODS; anything else answers 415 naming what it is;
      a file over the size limit answers 413;
    - `mode` is `upsert` (create new students, update changed ones), `append` (only create)
      or `replace` (the file becomes the whole roll: voters absent from it are removed);
      `replace` answers 409 unless `confirm=true` or a dry run of the same file was done before;
    - `kind` is `voters` or `residents`; residents are matched by student id, and `replace`
      answers 422 for them: an import never removes residents, who have bookings;
    - `dry_run=true` computes the whole report and changes no voter;
    - the same file (same SHA-256) with the same kind, mode and dry_run within 24 hours returns
      the earlier import instead of starting another, unless `force=true`;
    - a blank eligibility takes `default_eligible` (true unless given);
    - a workbook is read from its first sheet, or from the one `sheet` names;
    - progress is on the job (`GET /api/jobs/{id}`, pushed on `jobs.{id}`); when it ends, the
      uploader and ADMIN_EMAIL get an email with the counts and the link to the errors file.
    """

    def __init__(
        self,
        uow: ImportsUnitOfWorkFactory,
        reader: SheetReader,
        jobs: JobReporter,
        tasks: BackgroundTasks,
        clock: Clock,
        accounts: AccountQueries,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock
        self._accounts = accounts

    async def __call__(
        self, caller: Principal | None, command: StartImportCommand
    ) -> StartedImport:
        """`caller` is None for the command line: the import is then the system's."""
        check_mode_allowed(command.kind, command.mode)
        file_type = await asyncio.to_thread(self._reader.file_type, Path(command.path))
        previous = await self._previous(command)
        if previous is not None:
            return StartedImport(view=previous, upload_kept=False)
        user_id = None if caller is None else caller.user_id
        user = None if user_id is None else await self._accounts.user(user_id)
        job_id = await self._jobs.create(
            IMPORT_JOBS[command.kind], {"file_name": command.file_name}, user_id
        )
        record = ImportRecord(
            id=job_id,
            kind=command.kind,
            mode=command.mode,
            dry_run=command.dry_run,
            default_eligible=command.default_eligible,
            file=UploadedFile(
                command.path, command.file_name, command.size, command.sha256, file_type
            ),
            created_at=self._clock.now(),
            sheet=command.sheet,
            uploaded_by=user_id,
            uploader_email=None if user is None else user.email,
        )
        async with self._uow() as uow:
            await uow.imports.add(record)
            await uow.commit()
        await self._start(job_id)
        return StartedImport(view=import_view(record, JobState.QUEUED), upload_kept=True)

    async def _previous(self, command: StartImportCommand) -> ImportView | None:
        """The earlier import this upload repeats, after checking replace may run at all."""
        async with self._uow() as uow:
            reviewed = await uow.imports.latest_like(
                command.kind, ImportMode.REPLACE, True, command.sha256
            )
            check_replace_allowed(
                command.mode, command.dry_run, command.confirm, reviewed is not None
            )
            if command.force:
                return None
            same = await uow.imports.latest_like(
                command.kind, command.mode, command.dry_run, command.sha256
            )
        if same is None or not is_repeat(same, command.sha256, self._clock.now()):
            return None
        job = await self._jobs.view(same.id)
        return import_view(same, job.state)

    async def _start(self, job_id: UUID) -> None:
        # The record is stored; a broker that cannot take the task now leaves the job queued
        # (logged), and sending the file again with force=true starts it anew.
        try:
            await self._tasks.enqueue(RUN_TASK, import_id=str(job_id))
        except Exception as error:  # whatever the broker's trouble, the import is saved
            logger.warning("could not start import %s now (%s)", job_id, error)
