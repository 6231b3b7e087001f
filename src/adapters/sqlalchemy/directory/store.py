"""The directory sync's runs, and the residents it reconciles, in SQL."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.backups_tables import directory_absences, sync_runs
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.tables import residents
from application.shared.paging import PageRequest
from domain.directory.model import DIRECTORY_FIELDS, KnownResident, SyncPlan, SyncRun
from domain.housing.model import ResidentStatus
from domain.notifications.model import Notification

_RUN_FIELDS = (
    "id", "source", "dry_run", "state", "created", "updated", "unchanged", "deactivated",
    "errors", "changes", "failure", "created_by", "created_at", "finished_at",
)  # fmt: skip


def _chunks(ids: list[UUID], size: int = 500) -> list[list[UUID]]:
    """Bounded IN lists: SQLite refuses statements with too many parameters."""
    return [ids[start : start + size] for start in range(0, len(ids), size)]


def run_values(run: SyncRun) -> dict[str, Any]:
    return {name: getattr(run, name) for name in _RUN_FIELDS}


def run_from(row: Row[Any]) -> SyncRun:
    return SyncRun(**{name: getattr(row, name) for name in _RUN_FIELDS})


class SqlAlchemySyncStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add_run(self, run: SyncRun) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(insert(sync_runs).values(run_values(run)))

    async def get_run(self, run_id: UUID) -> SyncRun | None:
        async with self._engine.connect() as connection:
            found = await connection.execute(select(sync_runs).where(sync_runs.c.id == run_id))
            row = found.first()
        return None if row is None else run_from(row)

    async def page_runs(self, page: PageRequest) -> tuple[list[SyncRun], int]:
        query = select(sync_runs).order_by(sync_runs.c.created_at.desc(), sync_runs.c.id.desc())
        async with self._engine.connect() as connection:
            total = (await connection.execute(select(func.count()).select_from(sync_runs))).scalar()
            rows = await connection.execute(query.limit(page.limit).offset(page.offset))
            return [run_from(row) for row in rows], int(total or 0)

    async def finish_run(self, run: SyncRun, notifications: Sequence[Notification]) -> None:
        values = run_values(run)
        del values["id"]
        async with self._engine.begin() as connection:
            await connection.execute(
                update(sync_runs).where(sync_runs.c.id == run.id).values(values)
            )
            await SqlAlchemyNotificationOutbox(connection).add_all(notifications)

    async def known_residents(self) -> list[KnownResident]:
        query = select(
            residents.c.id,
            residents.c.student_id,
            residents.c.status,
            residents.c.locked_fields,
            directory_absences.c.missed_runs,
            directory_absences.c.last_run_id,
            *(residents.c[name] for name in DIRECTORY_FIELDS),
        ).outerjoin(directory_absences, directory_absences.c.resident_id == residents.c.id)
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [
                KnownResident(
                    id=row.id,
                    student_id=row.student_id,
                    values={name: getattr(row, name) for name in DIRECTORY_FIELDS},
                    former=row.status == ResidentStatus.FORMER.value,
                    locked_fields=frozenset(row.locked_fields),
                    missed_runs=row.missed_runs or 0,
                    last_missed_run=row.last_run_id,
                )
                for row in rows
            ]

    async def apply(self, plan: SyncPlan, run_id: UUID, now: datetime) -> None:
        async with self._engine.begin() as connection:
            await self._create(connection, plan, now)
            for change in plan.updates:
                values = {name: new for name, (_, new) in change.changes.items()}
                await connection.execute(
                    update(residents)
                    .where(residents.c.id == change.resident_id)
                    .values(**values, updated_at=now)
                )
            for ids in _chunks(plan.deactivations):
                await connection.execute(
                    update(residents)
                    .where(residents.c.id.in_(ids))
                    .values(status=ResidentStatus.FORMER.value, updated_at=now)
                )
            await self._count_absences(connection, plan, run_id)

    @staticmethod
    async def _create(connection: AsyncConnection, plan: SyncPlan, now: datetime) -> None:
        rows = [
            {
                "id": uuid4(),
                **entry.values(),
                "student_id": entry.student_id,
                "gender": "undisclosed",
                "status": ResidentStatus.APPLICANT.value,
                "needs_accessible_room": False,
                "locked_fields": [],
                "created_at": now,
                "updated_at": now,
            }
            for entry in plan.creates
        ]
        if rows:
            await connection.execute(insert(residents), rows)

    @staticmethod
    async def _count_absences(connection: AsyncConnection, plan: SyncPlan, run_id: UUID) -> None:
        for ids in _chunks([*plan.returned, *plan.absences]):
            await connection.execute(
                delete(directory_absences).where(directory_absences.c.resident_id.in_(ids))
            )
        if plan.absences:
            await connection.execute(
                insert(directory_absences),
                [
                    {"resident_id": resident_id, "missed_runs": missed, "last_run_id": run_id}
                    for resident_id, missed in plan.absences.items()
                ],
            )
