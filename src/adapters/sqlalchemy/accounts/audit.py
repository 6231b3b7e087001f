from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import audit_entries
from application.accounts.model import AuditEntry
from application.accounts.views import AuditEntryView, AuditFilter, AuditPage
from application.shared.paging import PageRequest


class SqlAlchemyAuditLog:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(self, entry: AuditEntry) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(audit_entries).values(
                    at=entry.at,
                    actor_id=entry.actor_id,
                    action=entry.action,
                    entity=entry.entity,
                    entity_id=entry.entity_id,
                    changed_fields=entry.changed_fields,
                )
            )

    async def search(self, criteria: AuditFilter, page: PageRequest) -> AuditPage:
        table = audit_entries
        query: Select[Any] = select(table).order_by(table.c.at.desc(), table.c.id.desc())
        if criteria.entity is not None:
            query = query.where(table.c.entity == criteria.entity)
        if criteria.actor_id is not None:
            query = query.where(table.c.actor_id == criteria.actor_id)
        if criteria.since is not None:
            query = query.where(table.c.at >= criteria.since)
        if criteria.until is not None:
            query = query.where(table.c.at < criteria.until)
        total, rows = await fetch_page(self._engine, query, page)
        items = [
            AuditEntryView(
                id=row.id,
                at=row.at,
                actor_id=row.actor_id,
                action=row.action,
                entity=row.entity,
                entity_id=row.entity_id,
                changed_fields=list(row.changed_fields),
            )
            for row in rows
        ]
        return AuditPage(items=items, total=total, limit=page.limit, offset=page.offset)
