"""Fakes of the import engine's ports: tables held in memory keyed by path, the voter roll,
the residents (the housing fake's own) and the import records."""

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Self
from uuid import UUID

from application.imports.ports import NumberedRow
from application.shared.paging import PageRequest
from domain.housing.model import Resident
from domain.imports.cells import Cell
from domain.imports.chunks import RejectedRow
from domain.imports.errors import UnreadableFile, UnsupportedFileType
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome
from domain.imports.rows import RESIDENT_FIELDS, ResidentRow, RowProblem, VoterRow
from tests.fakes.housing import InMemoryHousingStore
from tests.fakes.notifications import InMemoryNotificationStore, InMemoryNotificationsUnitOfWork


class InMemoryTableChunks:
    """Chunks of a table whose size is known from the start, as a spreadsheet's is."""

    def __init__(self, chunks: list[list[NumberedRow]], rows: int) -> None:
        self._chunks = iter(chunks)
        self._rows = rows

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> list[NumberedRow]:
        return next(self._chunks)

    def rows_estimated(self) -> int | None:
        return self._rows


class InMemorySheetReader:
    """Serves tables registered with `add`; rows are numbered from 1 like a file's lines.
    An unknown path is unsupported, an empty table unreadable, as the real readers say."""

    def __init__(self) -> None:
        self._tables: dict[Path, tuple[str, list[Sequence[Cell]]]] = {}

    def add(self, path: Path, rows: list[Sequence[Cell]], file_type: str = "csv") -> Path:
        self._tables[path] = (file_type, rows)
        return path

    def file_type(self, path: Path) -> str:
        if path not in self._tables:
            raise UnsupportedFileType("binary data")
        return self._tables[path][0]

    def chunks(
        self, path: Path, sheet: str | None = None, chunk_rows: int = 5000
    ) -> InMemoryTableChunks:
        self.file_type(path)
        rows = self._tables[path][1]
        if not rows:
            raise UnreadableFile("the file is empty")
        numbered: list[NumberedRow] = list(enumerate(rows, start=1))
        chunks = [numbered[i : i + chunk_rows] for i in range(0, len(numbered), chunk_rows)]
        return InMemoryTableChunks(chunks, len(numbered))


@dataclass
class StoredVoter:
    row: VoterRow
    created_at: datetime
    updated_at: datetime
    last_import_id: UUID | None


@dataclass
class InMemoryImportsStore:
    """The committed voters and import records; `notifications` is the shared outbox and
    `housing` the housing fake's tables, whose residents a residents import changes."""

    notifications: InMemoryNotificationStore
    voters: dict[str, StoredVoter] = field(default_factory=dict)
    records: dict[UUID, ImportRecord] = field(default_factory=dict)
    chunks: dict[tuple[UUID, int], MergeOutcome] = field(default_factory=dict)
    problems: dict[UUID, list[RowProblem]] = field(default_factory=dict)
    housing: InMemoryHousingStore = field(default_factory=InMemoryHousingStore)
    rejected: dict[UUID, dict[int, RejectedRow]] = field(default_factory=dict)
    # A unit of work's own copy of the housing residents; None in the committed store.
    residents: dict[UUID, Resident] | None = None

    def copy(self) -> "InMemoryImportsStore":
        """A private copy for one unit of work (the outbox is the shared one). Residents are
        replaced, never changed in place, so copying their dict is enough."""
        return InMemoryImportsStore(
            self.notifications,
            copy.deepcopy(self.voters),
            dict(self.records),
            dict(self.chunks),
            {key: list(value) for key, value in self.problems.items()},
            self.housing,
            {key: dict(value) for key, value in self.rejected.items()},
            dict(self.housing.tables.residents),
        )


class InMemoryVoterStore:
    def __init__(self, voters: dict[str, StoredVoter]) -> None:
        self._voters = voters

    async def merge(
        self,
        rows: Sequence[VoterRow],
        mode: ImportMode,
        import_id: UUID,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        owner_of = {voter.row.email: sid for sid, voter in self._voters.items()}
        created = updated = unchanged = skipped = 0
        rejected: list[str] = []
        for row in rows:
            current = self._voters.get(row.student_id)
            if owner_of.get(row.email, row.student_id) != row.student_id:
                rejected.append(row.student_id)
            elif current is None:
                created += 1
                if not dry_run:
                    self._voters[row.student_id] = StoredVoter(row, now, now, import_id)
            elif mode is ImportMode.APPEND:
                skipped += 1
            else:
                updated, unchanged = self._update(
                    current, row, now, import_id, dry_run, updated, unchanged
                )
        return MergeOutcome(created, updated, unchanged, skipped, tuple(rejected))

    def _update(
        self,
        current: StoredVoter,
        row: VoterRow,
        now: datetime,
        import_id: UUID,
        dry_run: bool,
        updated: int,
        unchanged: int,
    ) -> tuple[int, int]:
        changed = current.row != row
        if not dry_run:
            current.last_import_id = import_id
            if changed:
                current.row, current.updated_at = row, now
        return (updated + 1, unchanged) if changed else (updated, unchanged + 1)

    async def remove_absent(self, import_id: UUID) -> int:
        absent = [sid for sid, voter in self._voters.items() if voter.last_import_id != import_id]
        for student_id in absent:
            del self._voters[student_id]
        return len(absent)

    async def count(self) -> int:
        return len(self._voters)


class InMemoryResidentStore:
    def __init__(self, residents: dict[UUID, Resident], housing: InMemoryHousingStore) -> None:
        self._residents = residents
        self._housing = housing

    async def merge(
        self,
        rows: Sequence[ResidentRow],
        fields: Sequence[str],
        mode: ImportMode,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        if mode is ImportMode.REPLACE:
            raise ValueError("residents are not merged with mode replace")
        by_student = {resident.student_id: resident for resident in self._residents.values()}
        owner_of = {resident.email: resident.student_id for resident in self._residents.values()}
        given = [name for name in fields if name in RESIDENT_FIELDS]
        created = updated = unchanged = skipped = 0
        rejected: list[str] = []
        for row in rows:
            current = by_student.get(row.student_id)
            if owner_of.get(row.email, row.student_id) != row.student_id:
                rejected.append(row.student_id)
            elif current is None:
                created += 1
                if not dry_run:
                    self._put(Resident(student_id=row.student_id, **_of(row)), now, new=True)
            elif mode is ImportMode.APPEND:
                skipped += 1
            elif any(getattr(current, name) != getattr(row, name) for name in given):
                updated += 1
                if not dry_run:
                    changes = {name: getattr(row, name) for name in given}
                    self._put(replace(current, **changes), now)
            else:
                unchanged += 1
        return MergeOutcome(created, updated, unchanged, skipped, tuple(rejected))

    def _put(self, resident: Resident, now: datetime, new: bool = False) -> None:
        self._residents[resident.id] = resident
        if new:
            self._housing.tables.created_at[resident.id] = now
        self._housing.tables.updated_at[resident.id] = now

    async def count(self) -> int:
        return len(self._residents)


def _of(row: ResidentRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in RESIDENT_FIELDS}


class InMemoryImportRepository:
    def __init__(self, store: InMemoryImportsStore) -> None:
        self._store = store

    async def add(self, record: ImportRecord) -> None:
        self._store.records[record.id] = record

    async def get(self, import_id: UUID) -> ImportRecord | None:
        return self._store.records.get(import_id)

    async def latest_like(
        self, kind: ImportKind, mode: ImportMode, dry_run: bool, sha256: str
    ) -> ImportRecord | None:
        same = [
            record
            for record in self._store.records.values()
            if (record.kind, record.mode, record.dry_run, record.file.sha256)
            == (kind, mode, dry_run, sha256)
        ]
        return max(same, key=lambda record: record.created_at, default=None)

    async def finish(self, import_id: UUID, report: dict[str, Any], finished_at: datetime) -> None:
        record = self._store.records[import_id]
        self._store.records[import_id] = replace(record, report=report, finished_at=finished_at)

    async def chunk_outcome(self, import_id: UUID, chunk: int) -> MergeOutcome | None:
        return self._store.chunks.get((import_id, chunk))

    async def record_chunk(
        self,
        import_id: UUID,
        chunk: int,
        outcome: MergeOutcome,
        problems: Sequence[RowProblem],
        rejected: Sequence[RejectedRow] = (),
    ) -> None:
        self._store.chunks[(import_id, chunk)] = outcome
        self._store.problems.setdefault(import_id, []).extend(problems)
        rows = self._store.rejected.setdefault(import_id, {})
        for row in rejected:
            if row.line in rows:
                raise AssertionError(f"line {row.line} rejected twice")
            rows[row.line] = row

    async def record_header(self, import_id: UUID, header: Sequence[str]) -> None:
        record = self._store.records[import_id]
        self._store.records[import_id] = replace(record, header=tuple(header))

    async def rejected_rows(
        self, import_id: UUID, after_line: int, limit: int
    ) -> list[RejectedRow]:
        rows = self._store.rejected.get(import_id, {})
        return [rows[line] for line in sorted(rows) if line > after_line][:limit]

    async def unfinished(self, limit: int) -> list[ImportRecord]:
        waiting = [r for r in self._store.records.values() if r.finished_at is None]
        return sorted(waiting, key=lambda record: (record.created_at, record.id))[:limit]

    async def count_resume(self, import_id: UUID, now: datetime) -> int:
        record = self._store.records[import_id]
        resumed = replace(record, resumes=record.resumes + 1, resumed_at=now)
        self._store.records[import_id] = resumed
        return resumed.resumes

    async def problems(self, import_id: UUID) -> list[RowProblem]:
        return sorted(self._store.problems.get(import_id, []), key=lambda problem: problem.line)

    async def imports(self, page: PageRequest) -> tuple[int, list[ImportRecord]]:
        records = sorted(
            self._store.records.values(), key=lambda r: (r.created_at, r.id), reverse=True
        )
        return len(records), records[page.offset : page.offset + page.limit]


class InMemoryImportsUnitOfWork(InMemoryNotificationsUnitOfWork):
    """Works on a copy of the imports store and publishes it on commit, with the outbox."""

    def __init__(self, store: InMemoryImportsStore) -> None:
        super().__init__(store.notifications)
        self._imports_store = store
        self._work_store = store

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._work_store = self._imports_store.copy()
        self._bind()
        return self

    def _bind(self) -> None:
        work = self._work_store
        self.voters = InMemoryVoterStore(work.voters)
        self.imports = InMemoryImportRepository(work)
        assert work.residents is not None
        self.residents = InMemoryResidentStore(work.residents, work.housing)

    async def commit(self) -> None:
        await super().commit()
        store = self._imports_store
        store.voters, store.records = self._work_store.voters, self._work_store.records
        store.chunks, store.problems = self._work_store.chunks, self._work_store.problems
        store.rejected = self._work_store.rejected
        assert self._work_store.residents is not None
        store.housing.tables.residents = self._work_store.residents
        self._work_store = store.copy()
        self._bind()
