"""Running an import in a worker: read the upload in chunks, sort and merge each, report."""

import asyncio
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from application.imports.ports import ImportsUnitOfWorkFactory, NumberedRow, SheetReader
from application.imports.report import failure_report, finished_notifications, success_report
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.shared.ports import Clock
from domain.imports.chunks import RunningCounts, SortedChunk, sort_voter_rows
from domain.imports.duplicates import DuplicateDetector
from domain.imports.errors import UnreadableFile
from domain.imports.headers import HeaderMapping, map_headers
from domain.imports.model import MAX_ATTEMPTS, ImportMode, ImportRecord, MergeOutcome
from domain.imports.report import ProblemTally
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
    started: float
    detector: DuplicateDetector = field(default_factory=DuplicateDetector)
    tally: ProblemTally = field(default_factory=ProblemTally)
    counts: RunningCounts = field(default_factory=RunningCounts)
    removed: int = 0


class RunImport:
    """Imports an uploaded voter roll, a chunk at a time (the `imports.run` task).

    - the header row is matched first; a missing required column or two columns for one field
      fail the job with a message naming them, before any row is stored;
    - only valid rows are stored; a student id or email seen earlier in the file is a
      duplicate; an email that belongs to another stored student makes the row invalid;
    - each chunk's merge, its problems and its outcome commit together, so a run that restarts
      after a crash skips the chunks already done and ends with the same counts;
    - the report adds up: total_rows = created + updated + unchanged + skipped + invalid +
      duplicates; `replace` reports `removed` too;
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
        chunks = self._reader.chunks(Path(record.file.path), None, self._site.chunk_rows)
        first = await _next_chunk(chunks)
        if not first:
            raise UnreadableFile("the file is empty")
        run = _Run(record, map_headers(record.kind, first[0][1]), time.monotonic())
        rows: list[NumberedRow] | None = first[1:]
        index = 0
        while rows is not None:
            await self._chunk(run, index, rows)
            await self._jobs.progress(record.id, run.counts.total_rows)
            rows, index = await _next_chunk(chunks), index + 1
        if run.counts.total_rows == 0:
            raise UnreadableFile("the file has a header row but no data rows")
        return success_report(
            record,
            run.mapping,
            run.counts.counts(),
            run.tally,
            time.monotonic() - run.started,
            run.removed,
        )

    async def _chunk(self, run: _Run, index: int, rows: Sequence[NumberedRow]) -> None:
        record = run.record
        chunk = sort_voter_rows(rows, run.mapping, run.detector, record.default_eligible)
        async with self._uow() as uow:
            outcome = await uow.imports.chunk_outcome(record.id, index)
            if outcome is None:
                outcome = await uow.voters.merge(
                    chunk.valid, record.mode, record.id, self._clock.now(), record.dry_run
                )
                problems = [*chunk.problems, *_rejected(run, chunk, outcome)]
                await uow.imports.record_chunk(record.id, index, outcome, problems)
                await uow.commit()
        run.tally.add_missing(chunk.missing_fields)
        run.tally.add_problems(
            sorted(
                [*chunk.problems, *_rejected(run, chunk, outcome)], key=lambda problem: problem.line
            )
        )
        run.counts.add(chunk, outcome.created, outcome.updated, outcome.unchanged, outcome.skipped)

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


def _rejected(run: _Run, chunk: SortedChunk, outcome: MergeOutcome) -> list[Any]:
    return chunk.rejected_problems(outcome.rejected, run.mapping.column_of("email"))


async def _next_chunk(chunks: Iterator[list[NumberedRow]]) -> list[NumberedRow] | None:
    """The reader blocks (it parses files), so each chunk is pulled in a worker thread."""
    return await asyncio.to_thread(next, chunks, None)
