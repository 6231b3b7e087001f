"""Fakes of the import engine's ports: tables held in memory keyed by path, the voter roll
and the import records."""

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Self
from uuid import UUID

from application.imports.ports import NumberedRow
from application.shared.paging import PageRequest
from domain.imports.cells import Cell
from domain.imports.errors import UnreadableFile, UnsupportedFileType
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome
from domain.imports.rows import RowProblem, VoterRow
from tests.fakes.notifications import InMemoryNotificationStore, InMemoryNotificationsUnitOfWork


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
    ) -> Iterator[list[NumberedRow]]:
        self.file_type(path)
        rows = self._tables[path][1]
        if not rows:
            raise UnreadableFile("the file is empty")
        numbered: list[NumberedRow] = list(enumerate(rows, start=1))
        return iter([numbered[i : i + chunk_rows] for i in range(0, len(numbered), chunk_rows)])


@dataclass
class StoredVoter:
    row: VoterRow
    created_at: datetime
    updated_at: datetime
    last_import_id: UUID | None


@dataclass
class InMemoryImportsStore:
    """The committed voters and import records; `notifications` is the shared outbox."""

    notifications: InMemoryNotificationStore
    voters: dict[str, StoredVoter] = field(default_factory=dict)
    records: dict[UUID, ImportRecord] = field(default_factory=dict)
    chunks: dict[tuple[UUID, int], MergeOutcome] = field(default_factory=dict)
    problems: dict[UUID, list[RowProblem]] = field(default_factory=dict)

    def copy(self) -> "InMemoryImportsStore":
        """A private copy for one unit of work (the outbox is the shared one)."""
        return InMemoryImportsStore(
            self.notifications,
            copy.deepcopy(self.voters),
            dict(self.records),
            dict(self.chunks),
            {key: list(value) for key, value in self.problems.items()},
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
        self, import_id: UUID, chunk: int, outcome: MergeOutcome, problems: Sequence[RowProblem]
    ) -> None:
        self._store.chunks[(import_id, chunk)] = outcome
        self._store.problems.setdefault(import_id, []).extend(problems)

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
        self.voters = InMemoryVoterStore(self._work_store.voters)
        self.imports = InMemoryImportRepository(self._work_store)
        return self

    async def commit(self) -> None:
        await super().commit()
        store = self._imports_store
        store.voters, store.records = self._work_store.voters, self._work_store.records
        store.chunks, store.problems = self._work_store.chunks, self._work_store.problems
        self._work_store = store.copy()
        self.voters = InMemoryVoterStore(self._work_store.voters)
        self.imports = InMemoryImportRepository(self._work_store)
