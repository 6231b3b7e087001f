"""Backup records in the backups table; each call commits on its own."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.backups_tables import backups
from adapters.sqlalchemy.uow import conflict_from
from application.shared.paging import PageRequest
from domain.backups.model import Backup, BackupState, BackupTrigger
from domain.shared.errors import NotFound


def backup_values(backup: Backup) -> dict[str, Any]:
    return {
        "id": backup.id,
        "trigger": backup.trigger.value,
        "state": backup.state.value,
        "storage_key": backup.storage_key,
        "size_bytes": backup.size_bytes,
        "sha256": backup.sha256,
        "schema_revision": backup.schema_revision,
        "row_counts": backup.row_counts or None,
        "error": backup.error,
        "created_by": backup.created_by,
        "created_at": backup.created_at,
        "finished_at": backup.finished_at,
    }


def backup_from(row: Row[Any]) -> Backup:
    return Backup(
        id=row.id,
        trigger=BackupTrigger(row.trigger),
        state=BackupState(row.state),
        storage_key=row.storage_key,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        schema_revision=row.schema_revision,
        row_counts=dict(row.row_counts or {}),
        error=row.error,
        created_by=row.created_by,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


class SqlAlchemyBackupRepository:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def add(self, backup: Backup) -> None:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(insert(backups).values(backup_values(backup)))
        except IntegrityError as error:
            raise conflict_from(error) from error

    async def get(self, backup_id: UUID) -> Backup | None:
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(select(backups).where(backups.c.id == backup_id))
            ).first()
        return None if row is None else backup_from(row)

    async def save(self, backup: Backup) -> None:
        values = backup_values(backup)
        del values["id"]
        async with self._engine.begin() as connection:
            changed = await connection.execute(
                update(backups).where(backups.c.id == backup.id).values(values)
            )
        if changed.rowcount == 0:
            raise NotFound("backup", backup.id)

    async def page(self, page: PageRequest) -> tuple[list[Backup], int]:
        query = select(backups).order_by(backups.c.created_at.desc(), backups.c.id.desc())
        async with self._engine.connect() as connection:
            total = (await connection.execute(select(func.count()).select_from(backups))).scalar()
            rows = await connection.execute(query.limit(page.limit).offset(page.offset))
            return [backup_from(row) for row in rows], int(total or 0)

    async def succeeded(self) -> list[Backup]:
        query = select(backups).where(backups.c.state == BackupState.SUCCEEDED.value)
        async with self._engine.connect() as connection:
            rows = await connection.execute(query.order_by(backups.c.created_at))
            return [backup_from(row) for row in rows]

    async def delete(self, backup_id: UUID) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(delete(backups).where(backups.c.id == backup_id))
