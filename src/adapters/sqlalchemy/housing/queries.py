"""Read side of housing: SQL straight into views. Orders are total (an id breaks ties) so that
paging through a list never shows a row twice or skips one."""

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import beds, buildings, residents, rooms, terms
from application.housing.views import (
    BedView,
    BuildingFilter,
    BuildingPage,
    BuildingView,
    EmergencyContactView,
    MoneyView,
    ResidentFilter,
    ResidentPage,
    ResidentView,
    RoomFilter,
    RoomPage,
    RoomView,
    TermPage,
    TermView,
)
from application.shared.paging import PageRequest
from domain.shared.money import Money

_capacity = (
    select(func.count())
    .where(beds.c.room_id == rooms.c.id, beds.c.active.is_(True))
    .correlate(rooms)
    .scalar_subquery()
    .label("capacity")
)
_rooms_with_building = select(rooms, buildings.c.code.label("building_code"), _capacity).join(
    buildings, buildings.c.id == rooms.c.building_id
)


def _building_view(row: Row[Any]) -> BuildingView:
    return BuildingView(
        id=row.id,
        code=row.code,
        name=row.name,
        address=row.address,
        floors=row.floors,
        gender_policy=row.gender_policy,
        amenities=list(row.amenities),
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _room_view(row: Row[Any]) -> RoomView:
    rate = Money.from_cents(row.nightly_rate_cents, row.currency)
    return RoomView(
        id=row.id,
        building_id=row.building_id,
        building_code=row.building_code,
        number=row.number,
        floor=row.floor,
        type=row.type,
        accessible=row.accessible,
        features=list(row.features),
        status=row.status,
        nightly_rate=MoneyView(amount=rate.amount, currency=rate.currency),
        capacity=row.capacity,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _resident_view(row: Row[Any]) -> ResidentView:
    contact = None
    if row.emergency_contact_name is not None:
        contact = EmergencyContactView(
            name=row.emergency_contact_name,
            phone=row.emergency_contact_phone,
            relationship=row.emergency_contact_relationship,
        )
    return ResidentView(
        id=row.id,
        student_id=row.student_id,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        gender=row.gender,
        date_of_birth=row.date_of_birth,
        department=row.department,
        year_of_study=row.year_of_study,
        status=row.status,
        needs_accessible_room=row.needs_accessible_room,
        email_opt_in=row.email_opt_in,
        sms_opt_in=row.sms_opt_in,
        locked_fields=list(row.locked_fields),
        accessibility_notes=row.accessibility_notes,
        emergency_contact=contact,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _term_view(row: Row[Any]) -> TermView:
    return TermView(
        id=row.id,
        name=row.name,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    return func.lower(column).contains(text.lower(), autoescape=True)  # type: ignore[no-any-return]


class SqlAlchemyHousingQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, query: Select[Any]) -> list[Row[Any]]:
        async with self._engine.connect() as connection:
            return list(await connection.execute(query))

    async def building(self, building_id: UUID) -> BuildingView | None:
        rows = await self._rows(select(buildings).where(buildings.c.id == building_id))
        return _building_view(rows[0]) if rows else None

    async def buildings(self, criteria: BuildingFilter, page: PageRequest) -> BuildingPage:
        query = select(buildings).order_by(buildings.c.code, buildings.c.id)
        if criteria.active is not None:
            query = query.where(buildings.c.active.is_(criteria.active))
        total, rows = await fetch_page(self._engine, query, page)
        items = [_building_view(row) for row in rows]
        return BuildingPage(items=items, total=total, limit=page.limit, offset=page.offset)

    async def room(self, room_id: UUID) -> RoomView | None:
        rows = await self._rows(_rooms_with_building.where(rooms.c.id == room_id))
        return _room_view(rows[0]) if rows else None

    async def rooms(self, criteria: RoomFilter, page: PageRequest) -> RoomPage:
        conditions = [
            column == value
            for column, value in (
                (rooms.c.building_id, criteria.building_id),
                (rooms.c.floor, criteria.floor),
                (rooms.c.type, criteria.type),
                (rooms.c.accessible, criteria.accessible),
                (rooms.c.status, criteria.status),
            )
            if value is not None
        ]
        query = _rooms_with_building.where(and_(True, *conditions)).order_by(
            buildings.c.code, rooms.c.number, rooms.c.id
        )
        total, rows = await fetch_page(self._engine, query, page)
        items = [_room_view(row) for row in rows]
        return RoomPage(items=items, total=total, limit=page.limit, offset=page.offset)

    async def beds(self, room_id: UUID) -> list[BedView]:
        query = select(beds).where(beds.c.room_id == room_id).order_by(beds.c.label, beds.c.id)
        return [
            BedView(id=row.id, room_id=row.room_id, label=row.label, active=row.active)
            for row in await self._rows(query)
        ]

    async def resident(self, resident_id: UUID) -> ResidentView | None:
        rows = await self._rows(select(residents).where(residents.c.id == resident_id))
        return _resident_view(rows[0]) if rows else None

    async def residents(self, criteria: ResidentFilter, page: PageRequest) -> ResidentPage:
        query = select(residents).order_by(
            residents.c.last_name, residents.c.first_name, residents.c.student_id, residents.c.id
        )
        if criteria.status is not None:
            query = query.where(residents.c.status == criteria.status)
        if criteria.department is not None:
            query = query.where(func.lower(residents.c.department) == criteria.department.lower())
        if criteria.q:
            needle = criteria.q.strip()
            query = query.where(
                or_(
                    _contains(residents.c.first_name + " " + residents.c.last_name, needle),
                    _contains(residents.c.student_id, needle),
                    _contains(residents.c.email, needle),
                )
            )
        total, rows = await fetch_page(self._engine, query, page)
        items = [_resident_view(row) for row in rows]
        return ResidentPage(items=items, total=total, limit=page.limit, offset=page.offset)

    async def term(self, term_id: UUID) -> TermView | None:
        rows = await self._rows(select(terms).where(terms.c.id == term_id))
        return _term_view(rows[0]) if rows else None

    async def terms(self, page: PageRequest) -> TermPage:
        query = select(terms).order_by(terms.c.starts_on, terms.c.name, terms.c.id)
        total, rows = await fetch_page(self._engine, query, page)
        items = [_term_view(row) for row in rows]
        return TermPage(items=items, total=total, limit=page.limit, offset=page.offset)
