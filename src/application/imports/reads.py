"""Reading imports: one, the list, its problems, and the first users' task status."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from uuid import UUID

from application.imports.ports import ImportsUnitOfWorkFactory
from application.imports.views import ImportPage, ImportView, TaskStatusView, import_view
from application.jobs.ports import JobRepository
from application.shared.paging import PageRequest
from domain.imports.chunks import RejectedRow
from domain.imports.model import ImportRecord, seed_state
from domain.imports.rows import RowProblem
from domain.jobs.model import Job, JobState
from domain.shared.errors import NotFound


async def _job(jobs: JobRepository, import_id: UUID) -> Job:
    job = await jobs.get(import_id)
    if job is None:
        raise NotFound("import", import_id)
    return job


async def _record(uow: ImportsUnitOfWorkFactory, import_id: UUID) -> ImportRecord:
    async with uow() as work:
        record = await work.imports.get(import_id)
    if record is None:
        raise NotFound("import", import_id)
    return record


class GetImport:
    """An import: its file, its state and, once done, its report (the counts add up:
    total_rows = created + updated + unchanged + skipped + invalid + duplicates)."""

    def __init__(self, uow: ImportsUnitOfWorkFactory, jobs: JobRepository) -> None:
        self._uow = uow
        self._jobs = jobs

    async def __call__(self, import_id: UUID) -> ImportView:
        record = await _record(self._uow, import_id)
        return import_view(record, (await _job(self._jobs, import_id)).state)


class ListImports:
    """Past imports, the newest first."""

    def __init__(self, uow: ImportsUnitOfWorkFactory, jobs: JobRepository) -> None:
        self._uow = uow
        self._jobs = jobs

    async def __call__(self, page: PageRequest) -> ImportPage:
        async with self._uow() as work:
            total, records = await work.imports.imports(page)
        items = []
        for record in records:
            job = await self._jobs.get(record.id)
            items.append(import_view(record, JobState.QUEUED if job is None else job.state))
        return ImportPage(items=items, total=total, limit=page.limit, offset=page.offset)


class ListImportProblems:
    """Every problem of an import by line: line, column (as the file names it), value and
    message. Empty until the import has read the rows."""

    def __init__(self, uow: ImportsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, import_id: UUID) -> list[RowProblem]:
        await _record(self._uow, import_id)
        async with self._uow() as work:
            return await work.imports.problems(import_id)


class GetTaskStatus:
    """The first users' task status: `state` is PENDING, STARTED, PROGRESS, SUCCESS or FAILURE;
    `result` holds the report once done; `progress` the rows done."""

    def __init__(self, uow: ImportsUnitOfWorkFactory, jobs: JobRepository) -> None:
        self._uow = uow
        self._jobs = jobs

    async def __call__(self, task_id: UUID) -> TaskStatusView:
        record = await _record(self._uow, task_id)
        job = await _job(self._jobs, task_id)
        state = seed_state(job.state.value, job.processed)
        status = {
            "PENDING": "Task is waiting to start",
            "STARTED": "Task is processing",
            "PROGRESS": "Task is processing",
            "SUCCESS": "File processing completed successfully",
            "FAILURE": job.error or "File processing failed",
        }[state.value]
        return TaskStatusView(
            state=state,
            status=status,
            result=record.report if job.finished else None,
            progress={
                "rows_done": job.processed,
                "rows_estimated": job.total,
                # While it runs, what it does; before and after, the job's state.
                "phase": job.phase if job.state is JobState.RUNNING and job.phase else job.state,
            },
        )


# Rejected rows read per query while streaming rejected.csv.
REJECTED_PAGE_ROWS = 1000


@dataclass(frozen=True, slots=True)
class RejectedRows:
    """The header of the file (empty when the run never read it) and its rejected rows,
    read from the store a page at a time as `pages` is iterated."""

    header: tuple[str, ...]
    pages: AsyncIterator[list[RejectedRow]]


class ExportRejectedRows:
    """The rows an import did not store, in their original columns under the file's own
    header, with an `error` column saying why: fix them and upload the file again. Rows
    appear in file order; empty until the import has read the rows."""

    def __init__(self, uow: ImportsUnitOfWorkFactory, page_rows: int = REJECTED_PAGE_ROWS) -> None:
        self._uow = uow
        self._page_rows = page_rows

    async def __call__(self, import_id: UUID) -> RejectedRows:
        record = await _record(self._uow, import_id)
        return RejectedRows(record.header or (), self._pages(import_id))

    async def _pages(self, import_id: UUID) -> AsyncIterator[list[RejectedRow]]:
        after_line = 0
        while True:
            async with self._uow() as work:
                page = await work.imports.rejected_rows(import_id, after_line, self._page_rows)
            if not page:
                return
            yield page
            after_line = page[-1].line
