"""In-memory fakes of the directory sync's ports."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from application.directory.ports import DirectoryRead, DirectoryRecord
from application.shared.paging import PageRequest
from domain.directory.model import DIRECTORY_FIELDS, KnownResident, SyncPlan, SyncRun
from domain.housing.model import Resident, ResidentStatus
from domain.notifications.model import Notification
from tests.fakes.housing import InMemoryHousingStore
from tests.fakes.notifications import InMemoryNotificationStore


class InMemorySyncStore:
    """Runs in a dict; residents in the housing fake's tables; notifications in its store."""

    def __init__(self, housing: InMemoryHousingStore, outbox: InMemoryNotificationStore) -> None:
        self._housing = housing
        self._outbox = outbox
        self.runs: dict[UUID, SyncRun] = {}
        self.absences: dict[UUID, tuple[int, UUID]] = {}

    async def add_run(self, run: SyncRun) -> None:
        self.runs[run.id] = run

    async def get_run(self, run_id: UUID) -> SyncRun | None:
        return self.runs.get(run_id)

    async def page_runs(self, page: PageRequest) -> tuple[list[SyncRun], int]:
        ordered = sorted(self.runs.values(), key=lambda run: (run.created_at, run.id), reverse=True)
        return ordered[page.offset : page.offset + page.limit], len(ordered)

    async def finish_run(self, run: SyncRun, notifications: Sequence[Notification]) -> None:
        self.runs[run.id] = run
        for notification in notifications:
            self._outbox.rows[notification.id] = notification

    async def known_residents(self) -> list[KnownResident]:
        return [
            KnownResident(
                id=resident.id,
                student_id=resident.student_id,
                values={name: getattr(resident, name) for name in DIRECTORY_FIELDS},
                former=resident.status is ResidentStatus.FORMER,
                locked_fields=frozenset(resident.locked_fields),
                missed_runs=self.absences.get(resident.id, (0, None))[0],
                last_missed_run=self.absences.get(resident.id, (0, None))[1],
            )
            for resident in self._housing.tables.residents.values()
        ]

    async def apply(self, plan: SyncPlan, run_id: UUID, now: datetime) -> None:
        tables = self._housing.tables
        for entry in plan.creates:
            resident = Resident(student_id=entry.student_id, **entry.values())  # type: ignore[arg-type]
            tables.residents[resident.id] = resident
            tables.created_at[resident.id] = tables.updated_at[resident.id] = now
        for update in plan.updates:
            resident = tables.residents[update.resident_id]
            for name, (_, new) in update.changes.items():
                setattr(resident, name, new)
            tables.updated_at[resident.id] = now
        for resident_id in plan.deactivations:
            tables.residents[resident_id].status = ResidentStatus.FORMER
        for resident_id in plan.returned:
            self.absences.pop(resident_id, None)
        for resident_id, missed in plan.absences.items():
            self.absences[resident_id] = (missed, run_id)


class InMemoryStudentDirectory:
    """A directory whose records a test sets; `failure` makes the next read raise."""

    source = "files"

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] | None = []
        self.failure: str | None = None
        self.acknowledged = 0

    async def read(self) -> DirectoryRead | None:
        if self.failure is not None:
            raise ConnectionError(self.failure)
        if self.records is None:
            return None
        return DirectoryRead(
            records=[
                DirectoryRecord(where=f"item {number}", values=dict(values))
                for number, values in enumerate(self.records, start=1)
            ]
        )

    async def acknowledge(self, read: DirectoryRead) -> None:
        self.acknowledged += 1
