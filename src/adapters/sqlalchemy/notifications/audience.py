"""Who an announcement reaches, read from the residents, bookings, beds and rooms tables."""

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import beds, bookings, buildings, residents, rooms
from domain.bookings.model import BookingState
from domain.housing.model import ResidentStatus
from domain.notifications.announcements import Audience, AudienceKind, ContactDetails

# How to reach a resident; the bookings notices read the same columns.
CONTACT_COLUMNS = (
    residents.c.id,
    residents.c.first_name,
    residents.c.last_name,
    residents.c.email,
    residents.c.phone,
    residents.c.email_opt_in,
    residents.c.sms_opt_in,
)


def contact_from(row: Row[Any]) -> ContactDetails:
    return ContactDetails(
        resident_id=row.id,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        email_opt_in=row.email_opt_in,
        sms_opt_in=row.sms_opt_in,
    )


def living_there_on(day: date) -> ColumnElement[bool]:
    # Checked in (even past the contracted end, until checked out), or confirmed for a stay
    # that includes the day: whoever the office would expect to find in the building.
    return or_(
        bookings.c.state == BookingState.CHECKED_IN.value,
        and_(
            bookings.c.state == BookingState.CONFIRMED.value,
            bookings.c.starts_on <= day,
            bookings.c.ends_on > day,
        ),
    )


def _members(audience: Audience, day: date) -> Select[Any]:
    """Ids of the audience's residents, each once."""
    if audience.kind is AudienceKind.ALL_RESIDENTS:
        return select(residents.c.id).where(residents.c.status == ResidentStatus.ACTIVE.value)
    if audience.kind is AudienceKind.RESIDENTS:
        return select(residents.c.id).where(residents.c.id.in_(audience.resident_ids))
    query = (
        select(bookings.c.resident_id)
        .join(beds, beds.c.id == bookings.c.bed_id)
        .join(rooms, rooms.c.id == beds.c.room_id)
        .where(rooms.c.building_id == audience.building_id, living_there_on(day))
    )
    if audience.kind is AudienceKind.FLOOR:
        query = query.where(rooms.c.floor == audience.floor)
    return query


class SqlAlchemyAudienceDirectory:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def members(
        self, audience: Audience, on: date, after: UUID | None, limit: int
    ) -> list[ContactDetails]:
        query = (
            select(*CONTACT_COLUMNS)
            .where(residents.c.id.in_(_members(audience, on)))
            .order_by(residents.c.id)
            .limit(limit)
        )
        if after is not None:
            query = query.where(residents.c.id > after)
        async with self._engine.connect() as connection:
            rows = await connection.execute(query)
            return [contact_from(row) for row in rows]

    async def count(self, audience: Audience, on: date) -> int:
        query = select(func.count()).where(residents.c.id.in_(_members(audience, on)))
        async with self._engine.connect() as connection:
            return int((await connection.execute(query)).scalar_one())

    async def building_floors(self, building_id: UUID) -> int | None:
        query = select(buildings.c.floors).where(buildings.c.id == building_id)
        async with self._engine.connect() as connection:
            floors = (await connection.execute(query)).scalar_one_or_none()
        return None if floors is None else int(floors)

    async def unknown_residents(self, resident_ids: Sequence[UUID]) -> list[UUID]:
        if not resident_ids:
            return []
        query = select(residents.c.id).where(residents.c.id.in_(resident_ids))
        async with self._engine.connect() as connection:
            known = set((await connection.execute(query)).scalars())
        return [resident_id for resident_id in resident_ids if resident_id not in known]
