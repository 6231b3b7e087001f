"""Maintenance requests, their history, technicians and schedules as rows."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.maintenance.mapping import (
    history_from,
    history_values,
    request_from,
    request_values,
    schedule_from,
    schedule_values,
    technician_from,
    technician_values,
)
from adapters.sqlalchemy.maintenance.tables import (
    maintenance_request_history as history,
)
from adapters.sqlalchemy.maintenance.tables import (
    maintenance_requests as requests,
)
from adapters.sqlalchemy.maintenance.tables import (
    maintenance_schedules,
    maintenance_technicians,
)
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.repository import TableRepository
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from domain.maintenance.model import (
    OPEN_STATES,
    HistoryEntry,
    MaintenanceRequest,
    RequestState,
    Technician,
    TechnicianLoad,
)
from domain.maintenance.schedules import MaintenanceSchedule

OPEN = [state.value for state in OPEN_STATES]


class SqlAlchemyMaintenanceRequestRepository(TableRepository[MaintenanceRequest]):
    table = requests
    to_values = request_values
    from_row = request_from

    async def add_if_absent(self, request: MaintenanceRequest) -> bool:
        # INSERT ... ON CONFLICT DO NOTHING on the (schedule_id, occurrence_date) key: on
        # PostgreSQL a second inserter waits for the first to commit, then inserts nothing.
        dialect = self._connection.dialect.name
        insert_into = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert_into(self.table)
            .values(request_values(request))
            .on_conflict_do_nothing(index_elements=["schedule_id", "occurrence_date"])
        )
        result = await self._connection.execute(statement)
        return bool(result.rowcount)

    async def update_from(
        self, request: MaintenanceRequest, state: RequestState, escalation_level: int
    ) -> bool:
        values = request_values(request)
        del values["id"]
        result = await self._connection.execute(
            update(self.table)
            .where(
                self.table.c.id == request.id,
                self.table.c.state == state.value,
                self.table.c.escalation_level == escalation_level,
            )
            .values(values)
        )
        return bool(result.rowcount)

    async def record(self, entry: HistoryEntry) -> None:
        await self._connection.execute(insert(history).values(history_values(entry)))

    async def history(self, request_id: UUID) -> list[HistoryEntry]:
        query = select(history).where(history.c.request_id == request_id).order_by(history.c.id)
        return [history_from(row) for row in await self._connection.execute(query)]

    async def _requests(self, query: Any) -> list[MaintenanceRequest]:
        return [request_from(row) for row in await self._connection.execute(query)]

    async def past_due(self, now: datetime, limit: int) -> list[MaintenanceRequest]:
        table = self.table
        query = (
            select(table)
            .where(table.c.state.in_(OPEN), table.c.due_at <= now)
            .order_by(table.c.due_at, table.c.id)
            .limit(limit)
        )
        return await self._requests(query)

    async def resolved_before(self, cutoff: datetime, limit: int) -> list[MaintenanceRequest]:
        table = self.table
        query = (
            select(table)
            .where(table.c.state == RequestState.RESOLVED.value, table.c.resolved_at < cutoff)
            .order_by(table.c.resolved_at, table.c.id)
            .limit(limit)
        )
        return await self._requests(query)

    async def untriaged_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        table = self.table
        query = (
            select(table.c.id)
            .where(
                table.c.state == RequestState.SUBMITTED.value,
                table.c.triaged_at.is_(None),
                table.c.submitted_at < cutoff,
            )
            .order_by(table.c.submitted_at, table.c.id)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())


def open_assignment_counts() -> Any:
    """Open requests per technician, as a subquery (technician_id, open_assignments)."""
    return (
        select(requests.c.technician_id, func.count().label("open_assignments"))
        .where(requests.c.state.in_(OPEN), requests.c.technician_id.is_not(None))
        .group_by(requests.c.technician_id)
        .subquery()
    )


def technician_loads_query() -> Any:
    counts = open_assignment_counts()
    return select(
        maintenance_technicians,
        func.coalesce(counts.c.open_assignments, 0).label("open_assignments"),
    ).outerjoin(counts, counts.c.technician_id == maintenance_technicians.c.user_id)


class SqlAlchemyTechnicianRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, user_id: UUID) -> Technician | None:
        table = maintenance_technicians
        row = (
            await self._connection.execute(select(table).where(table.c.user_id == user_id))
        ).first()
        return None if row is None else technician_from(row)

    async def add(self, technician: Technician) -> None:
        await self._connection.execute(
            insert(maintenance_technicians).values(technician_values(technician))
        )

    async def update(self, technician: Technician) -> None:
        table = maintenance_technicians
        values = technician_values(technician)
        await self._connection.execute(
            update(table).where(table.c.user_id == technician.user_id).values(values)
        )

    async def delete(self, user_id: UUID) -> None:
        table = maintenance_technicians
        await self._connection.execute(table.delete().where(table.c.user_id == user_id))

    async def loads(self) -> list[TechnicianLoad]:
        rows = await self._connection.execute(technician_loads_query())
        return [TechnicianLoad(technician_from(row), int(row.open_assignments)) for row in rows]


class SqlAlchemyScheduleRepository(TableRepository[MaintenanceSchedule]):
    table = maintenance_schedules
    to_values = schedule_values
    from_row = schedule_from

    async def unpaused(self) -> list[MaintenanceSchedule]:
        query = select(self.table).where(self.table.c.paused.is_(False)).order_by(self.table.c.id)
        return [schedule_from(row) for row in await self._connection.execute(query)]


class SqlAlchemyMaintenanceUnitOfWork(SqlAlchemyUnitOfWork):
    requests: SqlAlchemyMaintenanceRequestRepository
    technicians: SqlAlchemyTechnicianRepository
    schedules: SqlAlchemyScheduleRepository
    outbox: SqlAlchemyNotificationOutbox

    def _bind(self, connection: AsyncConnection) -> None:
        self.requests = SqlAlchemyMaintenanceRequestRepository(connection)
        self.technicians = SqlAlchemyTechnicianRepository(connection)
        self.schedules = SqlAlchemyScheduleRepository(connection)
        self.outbox = SqlAlchemyNotificationOutbox(connection)
