"""What the import use cases need from the outside world: the uploaded file, the voter roll,
the residents and the import records."""

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol
from uuid import UUID

from application.notifications.ports import NotificationsUnitOfWork
from application.shared.paging import PageRequest
from domain.imports.cells import Cell
from domain.imports.chunks import RejectedRow
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome
from domain.imports.rows import ResidentRow, RowProblem, VoterRow

# (line or row number as the uploader sees it, the row's cells). The first one is the header.
NumberedRow = tuple[int, Sequence[Cell]]


class TableChunks(Protocol):
    """The chunks of one table, pulled with `next`, that can say how big the table looks."""

    def __iter__(self) -> "TableChunks": ...

    def __next__(self) -> list[NumberedRow]: ...

    def rows_estimated(self) -> int | None:
        """Rows of the whole table, header included, as far as can be told after the chunks
        pulled so far (exact once the last one was pulled); None when nothing tells yet."""
        ...


class SheetReader(Protocol):
    """Reads the rows of one table (a CSV file or one sheet of a workbook) from a file on disk.

    Blocking and streaming: a caller on an event loop pulls chunks in a worker thread, e.g.
    `await asyncio.to_thread(next, chunks, None)`, so only one chunk is in memory at a time.
    Raises UnsupportedFileType for content that is no table format, UnreadableFile for a
    damaged, hostile or empty file (from the first chunk or from any later one).
    """

    def file_type(self, path: Path) -> str:
        """The detected format as a short name (`csv`, `xlsx`, `ods`...), from the content."""
        ...

    def chunks(self, path: Path, sheet: str | None = None, chunk_rows: int = 5000) -> TableChunks:
        """Rows in file order, at most `chunk_rows` per chunk, header first. `sheet` names a
        workbook's sheet (the first one when None); CSV files ignore it."""
        ...


class VoterStore(Protocol):
    """The voter roll, inside an imports unit of work."""

    async def merge(
        self,
        rows: Sequence[VoterRow],
        mode: ImportMode,
        import_id: UUID,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        """Merges rows with distinct student ids and distinct emails. `upsert` creates new
        students and updates changed ones (unchanged ones are not written); `append` only
        creates, counting existing ids as skipped; `replace` is `upsert` that also marks every
        row of the file with `import_id` for `remove_absent`. A row whose email belongs to
        another stored student is rejected, not merged. `dry_run` counts the same and writes
        nothing."""
        ...

    async def remove_absent(self, import_id: UUID) -> int:
        """Removes the voters the import `import_id` did not mark; returns how many."""
        ...

    async def count(self) -> int: ...


class ResidentStore(Protocol):
    """The housing context's residents as an import sees them, inside an imports unit of work."""

    async def merge(
        self,
        rows: Sequence[ResidentRow],
        fields: Sequence[str],
        mode: ImportMode,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        """Merges rows with distinct student ids and distinct emails, matched by student id.
        `upsert` registers new residents (status applicant, the defaults of a registration for
        what the file does not give) and changes, on stored ones, only the `fields` the file
        has a column for, when they differ; `append` only registers, counting stored ids as
        skipped. A row whose email belongs to another resident is rejected. `replace` is not
        a mode residents are merged with. `dry_run` counts the same and writes nothing."""
        ...

    async def count(self) -> int: ...


class ImportRepository(Protocol):
    """Import records, their per-chunk outcomes and their problems."""

    async def add(self, record: ImportRecord) -> None: ...
    async def get(self, import_id: UUID) -> ImportRecord | None: ...

    async def latest_like(
        self, kind: ImportKind, mode: ImportMode, dry_run: bool, sha256: str
    ) -> ImportRecord | None:
        """The newest import of the same bytes with the same kind, mode and dry_run."""
        ...

    async def finish(
        self, import_id: UUID, report: dict[str, Any], finished_at: datetime
    ) -> None: ...

    async def chunk_outcome(self, import_id: UUID, chunk: int) -> MergeOutcome | None:
        """What chunk number `chunk` did when an earlier run committed it; None otherwise."""
        ...

    async def record_chunk(
        self,
        import_id: UUID,
        chunk: int,
        outcome: MergeOutcome,
        problems: Sequence[RowProblem],
        rejected: Sequence[RejectedRow] = (),
    ) -> None:
        """The chunk's outcome, its problems and its rejected rows (one per line)."""
        ...

    async def record_header(self, import_id: UUID, header: Sequence[str]) -> None:
        """The file's header row as typed; a second call replaces the first."""
        ...

    async def rejected_rows(
        self, import_id: UUID, after_line: int, limit: int
    ) -> list[RejectedRow]:
        """Up to `limit` rejected rows after line `after_line`, by line."""
        ...

    async def unfinished(self, limit: int) -> list[ImportRecord]:
        """Imports without a report yet, the oldest first."""
        ...

    async def count_resume(self, import_id: UUID, now: datetime) -> int:
        """Adds one to the import's resumes, notes when, and returns the new count."""
        ...

    async def problems(self, import_id: UUID) -> list[RowProblem]:
        """Every problem of the import, by line."""
        ...

    async def imports(self, page: PageRequest) -> tuple[int, list[ImportRecord]]:
        """The newest first."""
        ...


class ImportsUnitOfWork(NotificationsUnitOfWork, Protocol):
    @property
    def voters(self) -> VoterStore: ...

    @property
    def residents(self) -> ResidentStore: ...

    @property
    def imports(self) -> ImportRepository: ...


ImportsUnitOfWorkFactory = Callable[[], ImportsUnitOfWork]
