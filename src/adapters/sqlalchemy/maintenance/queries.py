"""Maintenance reads: request lists, technicians, schedules, report facts, and the facts of
other contexts (rooms, residents' homes, accounts) the use cases need."""

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.maintenance.mapping import request_from, schedule_from, technician_from
from adapters.sqlalchemy.maintenance.repository import OPEN, technician_loads_query
from adapters.sqlalchemy.maintenance.tables import maintenance_requests as requests
from adapters.sqlalchemy.maintenance.tables import maintenance_schedules as schedules
from adapters.sqlalchemy.maintenance.tables import maintenance_technicians
from adapters.sqlalchemy.notifications.audience import (
    CONTACT_COLUMNS,
    contact_from,
    living_there_on,
)
from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import beds, bookings, buildings, rooms, users
from application.maintenance.ports import AccountFacts, Place
from application.maintenance.views import (
    RequestFilter,
    RequestOrder,
    RequestPage,
    ScheduleFilter,
    SchedulePage,
    TechnicianPage,
    request_view,
    schedule_view,
    technician_view,
)
from application.shared.paging import PageRequest
from domain.accounts.model import OFFICE_ROLES, Role
from domain.maintenance.model import Category, Priority, RequestState
from domain.maintenance.reports import RequestFacts
from domain.notifications.announcements import ContactDetails


def _request_conditions(criteria: RequestFilter) -> list[ColumnElement[bool]]:
    c = requests.c
    wanted: list[tuple[Any, Any]] = [
        (c.resident_id, criteria.resident_id),
        (c.technician_id, criteria.technician_id),
        (c.building_id, criteria.building_id),
        (c.state, None if criteria.state is None else criteria.state.value),
        (c.priority, None if criteria.priority is None else criteria.priority.value),
        (c.category, None if criteria.category is None else criteria.category.value),
        (c.overdue, criteria.overdue),
    ]
    conditions = [column == value for column, value in wanted if value is not None]
    if criteria.open_only:
        conditions.append(c.state.in_(OPEN))
    return conditions


class SqlAlchemyMaintenanceQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def requests(self, criteria: RequestFilter, page: PageRequest) -> RequestPage:
        c = requests.c
        order = (
            (c.due_at.is_(None), c.due_at, c.id)
            if criteria.order is RequestOrder.DUE
            else (c.submitted_at.desc(), c.id)
        )
        query = select(requests).where(*_request_conditions(criteria)).order_by(*order)
        total, rows = await fetch_page(self._engine, query, page)
        items = [request_view(request_from(row)) for row in rows]
        return RequestPage(total=total, limit=page.limit, offset=page.offset, items=items)

    async def technicians(self, page: PageRequest) -> TechnicianPage:
        table = maintenance_technicians
        query = technician_loads_query().order_by(table.c.name, table.c.user_id)
        total, rows = await fetch_page(self._engine, query, page)
        items = [technician_view(technician_from(row), int(row.open_assignments)) for row in rows]
        return TechnicianPage(total=total, limit=page.limit, offset=page.offset, items=items)

    async def schedules(self, criteria: ScheduleFilter, page: PageRequest) -> SchedulePage:
        c = schedules.c
        wanted = [(c.building_id, criteria.building_id), (c.room_id, criteria.room_id)]
        conditions = [column == value for column, value in wanted if value is not None]
        if criteria.paused is not None:
            conditions.append(c.paused.is_(criteria.paused))
        query = select(schedules).where(*conditions).order_by(c.title, c.id)
        total, rows = await fetch_page(self._engine, query, page)
        items = [schedule_view(schedule_from(row)) for row in rows]
        return SchedulePage(total=total, limit=page.limit, offset=page.offset, items=items)

    async def report_facts(self) -> list[RequestFacts]:
        c = requests.c
        query = select(
            c.building_id,
            c.category,
            c.priority,
            c.state,
            c.overdue,
            c.submitted_at,
            c.resolved_at,
            c.estimated_cost_cents,
            c.actual_cost_cents,
            c.estimated_currency,
            c.actual_currency,
        )
        async with self._engine.connect() as connection:
            rows = list(await connection.execute(query))
        return [
            RequestFacts(
                building_id=row.building_id,
                category=Category(row.category),
                priority=Priority(row.priority),
                state=RequestState(row.state),
                overdue=row.overdue,
                submitted_at=row.submitted_at,
                resolved_at=row.resolved_at,
                estimated_cents=row.estimated_cost_cents,
                actual_cents=row.actual_cost_cents,
                currency=row.estimated_currency or row.actual_currency,
            )
            for row in rows
        ]


def _label(building_name: str, room_number: str | None) -> str:
    return building_name if room_number is None else f"{building_name}, room {room_number}"


class SqlAlchemyMaintenanceDirectory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _first(self, query: Any) -> Any:
        async with self._engine.connect() as connection:
            return (await connection.execute(query)).first()

    async def home_of(self, resident_id: UUID, day: date) -> Place | None:
        query = (
            select(rooms.c.id, rooms.c.building_id, rooms.c.number, buildings.c.name)
            .join(beds, beds.c.room_id == rooms.c.id)
            .join(bookings, bookings.c.bed_id == beds.c.id)
            .join(buildings, buildings.c.id == rooms.c.building_id)
            .where(bookings.c.resident_id == resident_id, living_there_on(day))
            .order_by(bookings.c.starts_on.desc())
            .limit(1)
        )
        row = await self._first(query)
        return None if row is None else Place(row.building_id, row.id, _label(row.name, row.number))

    async def place(self, building_id: UUID | None, room_id: UUID | None) -> Place | None:
        if room_id is not None:
            query = (
                select(rooms.c.building_id, rooms.c.number, buildings.c.name)
                .join(buildings, buildings.c.id == rooms.c.building_id)
                .where(rooms.c.id == room_id)
            )
            row = await self._first(query)
            if row is None or building_id not in (None, row.building_id):
                return None
            return Place(row.building_id, room_id, _label(row.name, row.number))
        row = await self._first(select(buildings.c.name).where(buildings.c.id == building_id))
        return None if row is None or building_id is None else Place(building_id, None, row.name)

    async def contact(self, resident_id: UUID) -> ContactDetails | None:
        row = await self._first(select(*CONTACT_COLUMNS).where(CONTACT_COLUMNS[0] == resident_id))
        return None if row is None else contact_from(row)

    async def account(self, user_id: UUID) -> AccountFacts | None:
        row = await self._first(
            select(users.c.email, users.c.role, users.c.active).where(users.c.id == user_id)
        )
        return None if row is None else AccountFacts(user_id, row.email, Role(row.role), row.active)

    async def office_emails(self) -> list[str]:
        query = (
            select(users.c.email)
            .where(users.c.role.in_([role.value for role in OFFICE_ROLES]), users.c.active)
            .order_by(users.c.email)
        )
        async with self._engine.connect() as connection:
            return list((await connection.execute(query)).scalars())
