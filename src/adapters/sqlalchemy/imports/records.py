"""Import records, their chunks and problems as rows; and the imports unit of work."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.imports.residents import SqlAlchemyResidentStore
from adapters.sqlalchemy.imports.voters import PostgresVoterStore, SqliteVoterStore
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.tables import import_chunks, import_problems, import_rejected_rows, imports
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from application.shared.paging import PageRequest
from domain.imports.chunks import RejectedRow
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome, UploadedFile
from domain.imports.rows import RowProblem


def record_values(record: ImportRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "kind": record.kind.value,
        "mode": record.mode.value,
        "dry_run": record.dry_run,
        "default_eligible": record.default_eligible,
        "file_path": record.file.path,
        "file_name": record.file.name,
        "file_size": record.file.size,
        "file_type": record.file.file_type,
        "sha256": record.file.sha256,
        "uploaded_by": record.uploaded_by,
        "uploader_email": record.uploader_email,
        "report": record.report,
        "created_at": record.created_at,
        "finished_at": record.finished_at,
        "sheet": record.sheet,
        "header": None if record.header is None else list(record.header),
        "resumes": record.resumes,
        "resumed_at": record.resumed_at,
    }


def record_from(row: Row[Any]) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        kind=ImportKind(row.kind),
        mode=ImportMode(row.mode),
        dry_run=row.dry_run,
        default_eligible=row.default_eligible,
        file=UploadedFile(row.file_path, row.file_name, row.file_size, row.sha256, row.file_type),
        created_at=row.created_at,
        uploaded_by=row.uploaded_by,
        uploader_email=row.uploader_email,
        report=row.report,
        finished_at=row.finished_at,
        sheet=row.sheet,
        header=None if row.header is None else tuple(row.header),
        resumes=row.resumes,
        resumed_at=row.resumed_at,
    )


class SqlAlchemyImportRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, record: ImportRecord) -> None:
        await self._connection.execute(insert(imports).values(record_values(record)))

    async def get(self, import_id: UUID) -> ImportRecord | None:
        row = (
            await self._connection.execute(select(imports).where(imports.c.id == import_id))
        ).first()
        return None if row is None else record_from(row)

    async def latest_like(
        self, kind: ImportKind, mode: ImportMode, dry_run: bool, sha256: str
    ) -> ImportRecord | None:
        query = (
            select(imports)
            .where(imports.c.sha256 == sha256, imports.c.kind == kind.value)
            .where(imports.c.mode == mode.value, imports.c.dry_run == dry_run)
            .order_by(imports.c.created_at.desc())
            .limit(1)
        )
        row = (await self._connection.execute(query)).first()
        return None if row is None else record_from(row)

    async def finish(self, import_id: UUID, report: dict[str, Any], finished_at: datetime) -> None:
        await self._connection.execute(
            update(imports)
            .where(imports.c.id == import_id)
            .values(report=report, finished_at=finished_at)
        )

    async def chunk_outcome(self, import_id: UUID, chunk: int) -> MergeOutcome | None:
        query = select(import_chunks).where(
            import_chunks.c.import_id == import_id, import_chunks.c.chunk == chunk
        )
        row = (await self._connection.execute(query)).first()
        if row is None:
            return None
        return MergeOutcome(
            row.created, row.updated, row.unchanged, row.skipped, tuple(row.rejected)
        )

    async def record_chunk(
        self,
        import_id: UUID,
        chunk: int,
        outcome: MergeOutcome,
        problems: Sequence[RowProblem],
        rejected: Sequence[RejectedRow] = (),
    ) -> None:
        await self._connection.execute(
            insert(import_chunks).values(
                import_id=import_id,
                chunk=chunk,
                created=outcome.created,
                updated=outcome.updated,
                unchanged=outcome.unchanged,
                skipped=outcome.skipped,
                rejected=list(outcome.rejected),
            )
        )
        if problems:
            values = [
                {
                    "import_id": import_id,
                    "line": problem.line,
                    "column_name": problem.column,
                    "value": problem.value,
                    "message": problem.message,
                }
                for problem in problems
            ]
            await self._connection.execute(insert(import_problems), values)
        if rejected:
            rows = [
                {
                    "import_id": import_id,
                    "line": row.line,
                    "cells": list(row.cells),
                    "error": row.error,
                }
                for row in rejected
            ]
            await self._connection.execute(insert(import_rejected_rows), rows)

    async def record_header(self, import_id: UUID, header: Sequence[str]) -> None:
        await self._connection.execute(
            update(imports).where(imports.c.id == import_id).values(header=list(header))
        )

    async def rejected_rows(
        self, import_id: UUID, after_line: int, limit: int
    ) -> list[RejectedRow]:
        table = import_rejected_rows
        query = (
            select(table.c.line, table.c.cells, table.c.error)
            .where(table.c.import_id == import_id, table.c.line > after_line)
            .order_by(table.c.line)
            .limit(limit)
        )
        return [
            RejectedRow(row.line, tuple(row.cells), row.error)
            for row in await self._connection.execute(query)
        ]

    async def unfinished(self, limit: int) -> list[ImportRecord]:
        query = (
            select(imports)
            .where(imports.c.finished_at.is_(None))
            .order_by(imports.c.created_at, imports.c.id)
            .limit(limit)
        )
        return [record_from(row) for row in await self._connection.execute(query)]

    async def count_resume(self, import_id: UUID, now: datetime) -> int:
        await self._connection.execute(
            update(imports)
            .where(imports.c.id == import_id)
            .values(resumes=imports.c.resumes + 1, resumed_at=now)
        )
        query = select(imports.c.resumes).where(imports.c.id == import_id)
        return int((await self._connection.execute(query)).scalar_one())

    async def problems(self, import_id: UUID) -> list[RowProblem]:
        table = import_problems
        query = (
            select(table.c.line, table.c.column_name, table.c.value, table.c.message)
            .where(table.c.import_id == import_id)
            .order_by(table.c.line, table.c.id)
        )
        return [RowProblem(*row) for row in await self._connection.execute(query)]

    async def imports(self, page: PageRequest) -> tuple[int, list[ImportRecord]]:
        total = (
            await self._connection.execute(select(func.count()).select_from(imports))
        ).scalar_one()
        query = (
            select(imports)
            .order_by(imports.c.created_at.desc(), imports.c.id.desc())
            .limit(page.limit)
            .offset(page.offset)
        )
        return int(total), [record_from(row) for row in await self._connection.execute(query)]


class SqlAlchemyImportsUnitOfWork(SqlAlchemyUnitOfWork):
    def _bind(self, connection: AsyncConnection) -> None:
        self.outbox = SqlAlchemyNotificationOutbox(connection)
        self.imports = SqlAlchemyImportRepository(connection)
        store = PostgresVoterStore if connection.dialect.name == "postgresql" else SqliteVoterStore
        self.voters = store(connection)
        self.residents = SqlAlchemyResidentStore(connection)
