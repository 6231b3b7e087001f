"""Running an import in a worker: read the upload in chunks, sort and merge each, report."""

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from application.imports.kinds import merge_chunk, sort_chunk
from application.imports.ports import (
    ImportsUnitOfWorkFactory,
    NumberedRow,
    SheetReader,
    TableChunks,
)
from application.imports.report import failure_report, finished_notifications, success_report
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.shared.ports import Clock
from domain.imports.chunks import RejectedRow, RunningCounts, SortedChunk
from domain.imports.duplicates import DuplicateDetector
from domain.imports.errors import UnreadableFile
from domain.imports.headers import HeaderMapping, header_text, map_headers
from domain.imports.model import MAX_ATTEMPTS, ImportMode, ImportRecord, MergeOutcome
from domain.imports.progress import ImportPhase, data_rows_estimate
from domain.imports.report import ProblemTally
from domain.imports.rows import RowProblem
from domain.shared.errors import DomainError, NotFound

# Rows per chunk: one transaction and one progress report each. 20,000 voter rows are a few
# megabytes in memory and a fraction of a second of merging.
CHUNK_ROWS = 20_000


@dataclass(frozen=True, slots=True)
class ImportSite:
    """Where reports go: ADMIN_EMAIL, and the public address links in emails start with."""

    public_url: str
    admin_email: str | None = None
    chunk_rows: int = CHUNK_ROWS


@dataclass(slots=True)
class _Run:
    record: ImportRecord
    mapping: HeaderMapping
    chunks: TableChunks
    started: float
    detector: DuplicateDetector = field(default_factory=DuplicateDetector)
    tally: ProblemTally = field(default_factory=ProblemTally)
    counts: RunningCounts = field(default_factory=RunningCounts)
    removed: int = 0

    def estimate(self) -> int | None:
        return data_rows_estimate(self.chunks.rows_estimated(), self.counts.total_rows)


class RunImport:
    """Imports an uploaded voter roll or residents list, a chunk at a time (`imports.run`).

    - the header row is matched first; a missing required column or two columns for one field
      fail the job with a message naming them, before any row is stored;
    - only valid rows are stored; a student id or email seen earlier in the file is a
      duplicate; an email that belongs to another stored student makes the row invalid;
      every row not stored is kept with its cells for rejected.csv;
    - residents are matched by student id; an update changes only the columns the file has;
    - each chunk's merge, its problems and its outcome commit together, so a run that restarts
      after a crash skips the chunks already done and ends with the same counts;
    - the report adds up: total_rows = created + updated + unchanged + skipped + invalid +
      duplicates; `replace` reports `removed` too;
    - progress on the job: rows done, rows estimated (from the bytes read, or the sheet's
      height) and the phase: reading, validating, writing, reporting;
    - a job whose worker died MAX_ATTEMPTS times fails; success and failure both email the
      uploader and ADMIN_EMAIL, once."""

    def __init__(
        self,
        uow: ImportsUnitOfWorkFactory,
        reader: SheetReader,
        jobs: JobReporter,
        notifier: Notifier,
        clock: Clock,
        site: ImportSite,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._jobs = jobs
        self._notifier = notifier
        self._clock = clock
        self._site = site

    async def __call__(self, import_id: UUID) -> None:
        async with self._uow() as uow:
            record = await uow.imports.get(import_id)
        if record is None:
            raise NotFound("import", import_id)
        if record.finished_at is not None:
            await self._settle_job(record)  # a crash after the final commit: finish the job only
            return
        job = await self._jobs.start(import_id)
        if job.attempts > MAX_ATTEMPTS:
            await self._finish(
                record,
                failure_report(
                    record, f"the import stopped its worker {MAX_ATTEMPTS} times; giving up"
                ),
            )
            return
        try:
            report = await self._run(record)
        except DomainError as error:
            report = failure_report(record, error.message)
        await self._finish(record, report)

    async def _run(self, record: ImportRecord) -> dict[str, Any]:
        await self._jobs.progress(record.id, 0, None, ImportPhase.READING)
        chunks = self._reader.chunks(Path(record.file.path), record.sheet, self._site.chunk_rows)
        first = await _next_chunk(chunks)
        if not first:
            raise UnreadableFile("the file is empty")
        header = first[0][1]
        run = _Run(record, map_headers(record.kind, header), chunks, time.monotonic())
        async with self._uow() as uow:
            await uow.imports.record_header(record.id, [header_text(cell) for cell in header])
            await uow.commit()
        rows: list[NumberedRow] | None = first[1:]
        index = 0
        while rows is not None:
            await self._chunk(run, index, rows)
            await self._progress(run, ImportPhase.READING)
            rows, index = await _next_chunk(chunks), index + 1
        if run.counts.total_rows == 0:
            raise UnreadableFile("the file has a header row but no data rows")
        await self._progress(run, ImportPhase.REPORTING, exact=True)
        return success_report(
            record,
            run.mapping,
            run.counts.counts(),
            run.tally,
            time.monotonic() - run.started,
            run.removed,
        )

    async def _progress(self, run: _Run, phase: ImportPhase, exact: bool = False) -> None:
        done = run.counts.total_rows
        await self._jobs.progress(run.record.id, done, done if exact else run.estimate(), phase)

    async def _chunk(self, run: _Run, index: int, rows: Sequence[NumberedRow]) -> None:
        record = run.record
        await self._progress(run, ImportPhase.VALIDATING)
        chunk = sort_chunk(record, run.mapping, run.detector, rows, self._clock.now())
        await self._progress(run, ImportPhase.WRITING)
        async with self._uow() as uow:
            outcome = await uow.imports.chunk_outcome(record.id, index)
            if outcome is None:
                outcome = await merge_chunk(uow, record, run.mapping, chunk, self._clock.now())
                problems, rejected = _refused(run, chunk, outcome)
                await uow.imports.record_chunk(record.id, index, outcome, problems, rejected)
                await uow.commit()
        run.tally.add_missing(chunk.missing_fields)
        run.tally.add_problems(sorted(_refused(run, chunk, outcome)[0], key=lambda p: p.line))
        run.counts.add(chunk, outcome.created, outcome.updated, outcome.unchanged, outcome.skipped)

    async def abandon(self, import_id: UUID, reason: str) -> None:
        """Ends an import that cannot run as failed, with `reason`, the report and the
        emails, as a failure during the run would (what imports.resume does after the last
        lost attempt). Does nothing to an import that has its report."""
        async with self._uow() as uow:
            record = await uow.imports.get(import_id)
        if record is None:
            raise NotFound("import", import_id)
        if record.finished_at is not None:
            await self._settle_job(record)
            return
        await self._finish(record, failure_report(record, reason))

    async def _finish(self, record: ImportRecord, report: dict[str, Any]) -> None:
        """The report, the removal of absent voters (replace) and the emails commit together."""
        async with self._uow() as uow:
            if "error" not in report and record.mode is ImportMode.REPLACE:
                report["removed"] = await self._removed(uow, record, report)
            notifications = finished_notifications(self._notifier, self._site, record, report)
            await uow.imports.finish(record.id, report, self._clock.now())
            await uow.outbox.add_all(notifications)
            await uow.commit()
        await self._notifier.deliver_soon()
        finished = await self._uow_record(record.id)
        await self._settle_job(finished)

    async def _removed(self, uow: Any, record: ImportRecord, report: dict[str, Any]) -> int:
        if record.dry_run:
            matched = int(report["updated"]) + int(report["unchanged"])
            return max(0, int(await uow.voters.count()) - matched)
        return int(await uow.voters.remove_absent(record.id))

    async def _uow_record(self, import_id: UUID) -> ImportRecord:
        async with self._uow() as uow:
            record = await uow.imports.get(import_id)
        assert record is not None
        return record

    async def _settle_job(self, record: ImportRecord) -> None:
        report = record.report or {}
        job = await self._jobs.view(record.id)
        if job.finished_at is not None:
            return
        if "error" in report:
            await self._jobs.fail(record.id, str(report["error"]))
        else:
            await self._jobs.succeed(record.id, report)


def _refused(
    run: _Run, chunk: SortedChunk[Any], outcome: MergeOutcome
) -> tuple[list[RowProblem], list[RejectedRow]]:
    """Every problem of the chunk and every row not stored: the invalid and duplicate rows,
    and the valid rows the merge refused (their email belongs to another student)."""
    column = run.mapping.column_of("email")
    problems = [*chunk.problems, *chunk.rejected_problems(outcome.rejected, column)]
    rejected = [*chunk.rejected, *chunk.rejected_after_merge(outcome.rejected, column)]
    return problems, rejected


async def _next_chunk(chunks: TableChunks) -> list[NumberedRow] | None:
    """The reader blocks (it parses files), so each chunk is pulled in a worker thread."""
    return await asyncio.to_thread(next, chunks, None)
