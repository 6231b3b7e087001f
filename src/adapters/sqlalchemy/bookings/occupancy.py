"""Occupancy on one day in one grouped query: each bed in service falls in one category, and
the counts are summed per building and room type (no query per bed)."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.closures import closed_during
from adapters.sqlalchemy.tables import beds, bookings, buildings, rooms
from domain.bookings.model import OCCUPYING_STATES, BookingState
from domain.bookings.occupancy import OccupancyCount
from domain.housing.model import RoomStatus, RoomType
from domain.shared.dates import DateRange


def _booked_on(on: date, states: frozenset[BookingState]) -> ColumnElement[bool]:
    return exists().where(
        bookings.c.bed_id == beds.c.id,
        bookings.c.state.in_(sorted(state.value for state in states)),
        bookings.c.starts_on <= on,
        bookings.c.ends_on > on,
    )


def _count(condition: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


class SqlAlchemyOccupancyQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def occupancy(self, on: date) -> list[OccupancyCount]:
        occupied = _booked_on(on, OCCUPYING_STATES)
        held = _booked_on(on, frozenset({BookingState.HELD}))
        day = DateRange(on, on + timedelta(days=1))
        closed = or_(
            rooms.c.status == RoomStatus.CLOSED.value,
            closed_during(day, beds.c.id, rooms.c.id, rooms.c.building_id),
        )
        query = (
            select(
                buildings.c.id,
                buildings.c.code,
                rooms.c.type,
                func.count().label("beds"),
                _count(occupied).label("occupied"),
                _count(and_(~occupied, held)).label("held"),
                _count(and_(~occupied, ~held, closed)).label("closed"),
            )
            .select_from(beds.join(rooms, rooms.c.id == beds.c.room_id))
            .join(buildings, buildings.c.id == rooms.c.building_id)
            .where(beds.c.active.is_(True), buildings.c.active.is_(True))
            .group_by(buildings.c.id, buildings.c.code, rooms.c.type)
        )
        async with self._engine.connect() as connection:
            rows = list(await connection.execute(query))
        return [
            OccupancyCount(
                building_id=row.id,
                building_code=row.code,
                room_type=RoomType(row.type),
                beds=int(row.beds),
                occupied=int(row.occupied),
                held=int(row.held),
                closed=int(row.closed),
            )
            for row in rows
        ]
