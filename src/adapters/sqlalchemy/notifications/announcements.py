"""Announcements as rows: the repository of the fan-out, and the queries that add the delivery
counts of their notifications (whose `source` is "announcement:<id>")."""

from typing import Any
from uuid import UUID

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy import tables
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from application.notifications.views import (
    AnnouncementPage,
    AnnouncementView,
    DeliveryCounts,
    announcement_view,
)
from application.shared.paging import PageRequest
from domain.notifications.announcements import (
    Announcement,
    AnnouncementState,
    Audience,
    AudienceKind,
)
from domain.notifications.model import Channel, DeliveryState

_table = tables.announcements


def _progress_values(announcement: Announcement) -> dict[str, Any]:
    return {
        "state": announcement.state.value,
        "cursor": announcement.cursor,
        "recipients": announcement.recipients,
        "messages": announcement.messages,
        "skipped": announcement.skipped,
        "finished_at": announcement.finished_at,
    }


def announcement_values(announcement: Announcement) -> dict[str, Any]:
    audience = announcement.audience
    return {
        "id": announcement.id,
        "title": announcement.title,
        "body": announcement.body,
        "audience": audience.kind.value,
        "building_id": audience.building_id,
        "floor": audience.floor,
        "resident_ids": [str(resident_id) for resident_id in audience.resident_ids],
        "channels": sorted(channel.value for channel in announcement.channels),
        "job_id": announcement.job_id,
        "created_by": announcement.created_by,
        "created_at": announcement.created_at,
        **_progress_values(announcement),
    }


def announcement_from(row: Row[Any]) -> Announcement:
    return Announcement(
        id=row.id,
        title=row.title,
        body=row.body,
        audience=Audience(
            kind=AudienceKind(row.audience),
            building_id=row.building_id,
            floor=row.floor,
            resident_ids=tuple(UUID(value) for value in row.resident_ids),
        ),
        channels=frozenset(Channel(value) for value in row.channels),
        job_id=row.job_id,
        created_by=row.created_by,
        created_at=row.created_at,
        state=AnnouncementState(row.state),
        cursor=row.cursor,
        recipients=row.recipients,
        messages=row.messages,
        skipped=row.skipped,
        finished_at=row.finished_at,
    )


class SqlAlchemyAnnouncementRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, announcement: Announcement) -> None:
        await self._connection.execute(insert(_table).values(announcement_values(announcement)))

    async def get(self, announcement_id: UUID) -> Announcement | None:
        query = select(_table).where(_table.c.id == announcement_id)
        row = (await self._connection.execute(query)).first()
        return None if row is None else announcement_from(row)

    async def save_progress(self, announcement: Announcement, previous_cursor: UUID | None) -> bool:
        # The WHERE repeats what the caller read. On PostgreSQL a concurrent fan-out's UPDATE
        # waits for this row's lock and then re-checks it against the committed cursor.
        changed = await self._connection.execute(
            update(_table)
            .where(
                _table.c.id == announcement.id,
                _table.c.state == AnnouncementState.FANNING_OUT.value,
                _table.c.cursor.is_not_distinct_from(previous_cursor),
            )
            .values(_progress_values(announcement))
        )
        return changed.rowcount == 1

    async def unfinished(self, limit: int) -> list[UUID]:
        query = (
            select(_table.c.id)
            .where(_table.c.state == AnnouncementState.FANNING_OUT.value)
            .order_by(_table.c.created_at, _table.c.id)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())


class SqlAlchemyAnnouncementsUnitOfWork(SqlAlchemyUnitOfWork):
    outbox: SqlAlchemyNotificationOutbox
    announcements: SqlAlchemyAnnouncementRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.outbox = SqlAlchemyNotificationOutbox(connection)
        self.announcements = SqlAlchemyAnnouncementRepository(connection)


_QUEUED = (DeliveryState.QUEUED.value, DeliveryState.SENDING.value)


class SqlAlchemyAnnouncementQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _delivery(
        self, connection: AsyncConnection, announcement_ids: list[UUID]
    ) -> dict[UUID, DeliveryCounts]:
        """The delivery counts of each announcement, in one grouped query for a whole page."""
        notifications = tables.notifications
        sources = {
            f"announcement:{announcement_id}": announcement_id
            for announcement_id in announcement_ids
        }
        query = (
            select(notifications.c.source, notifications.c.state, func.count())
            .where(notifications.c.source.in_(sources))
            .group_by(notifications.c.source, notifications.c.state)
        )
        by_state: dict[UUID, dict[str, int]] = {
            announcement_id: {} for announcement_id in announcement_ids
        }
        for source, state, count in await connection.execute(query):
            by_state[sources[source]][state] = count
        return {
            announcement_id: DeliveryCounts(
                queued=sum(counts.get(state, 0) for state in _QUEUED),
                sent=counts.get(DeliveryState.SENT.value, 0),
                failed=counts.get(DeliveryState.FAILED.value, 0),
            )
            for announcement_id, counts in by_state.items()
        }

    async def _views(
        self, connection: AsyncConnection, rows: list[Row[Any]]
    ) -> list[AnnouncementView]:
        delivery = await self._delivery(connection, [row.id for row in rows])
        return [announcement_view(announcement_from(row), delivery[row.id]) for row in rows]

    async def announcement(self, announcement_id: UUID) -> AnnouncementView | None:
        async with self._engine.connect() as connection:
            query = select(_table).where(_table.c.id == announcement_id)
            rows = list(await connection.execute(query))
            views = await self._views(connection, rows)
        return views[0] if views else None

    async def announcements(self, page: PageRequest) -> AnnouncementPage:
        query = select(_table).order_by(_table.c.created_at.desc(), _table.c.id)
        total, rows = await fetch_page(self._engine, query, page)
        async with self._engine.connect() as connection:
            items = await self._views(connection, rows)
        return AnnouncementPage(items=items, total=total, limit=page.limit, offset=page.offset)
