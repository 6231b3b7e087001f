"""Closures as rows, and the SQL that tells which beds a closure covers."""

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Select, and_, case, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.bookings.repository import booking_from
from adapters.sqlalchemy.bookings.tables import closures
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.repository import TableRepository
from adapters.sqlalchemy.tables import beds, bookings, buildings, rooms
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from application.bookings.views import ClosureFilter, ClosurePage, ClosureView, closure_view
from application.shared.paging import PageRequest
from domain.bookings.closures import BedPlace, BookedBed, Closure, ClosureTarget
from domain.bookings.model import ACTIVE_STATES
from domain.shared.dates import DateRange

_ACTIVE = sorted(state.value for state in ACTIVE_STATES)
_TARGET_COLUMNS = {
    ClosureTarget.BED: beds.c.id,
    ClosureTarget.ROOM: rooms.c.id,
    ClosureTarget.BUILDING: rooms.c.building_id,
}


def closure_values(closure: Closure) -> dict[str, Any]:
    return {
        "id": closure.id,
        "target": closure.target.value,
        "target_id": closure.target_id,
        "starts_on": closure.dates.start,
        "ends_on": closure.dates.end,
        "reason": closure.reason,
        "created_by": closure.created_by,
        "created_at": closure.created_at,
    }


def closure_from(row: Row[Any]) -> Closure:
    return Closure(
        id=row.id,
        target=ClosureTarget(row.target),
        target_id=row.target_id,
        dates=DateRange(row.starts_on, row.ends_on),
        reason=row.reason,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def closed_during(
    stay: DateRange,
    bed_id: ColumnElement[Any],
    room_id: ColumnElement[Any],
    building_id: ColumnElement[Any],
) -> ColumnElement[bool]:
    """Whether a closure of the bed, its room or its building overlaps `stay`; correlated with
    the query the three columns come from."""
    covering = or_(
        and_(closures.c.target == ClosureTarget.BED.value, closures.c.target_id == bed_id),
        and_(closures.c.target == ClosureTarget.ROOM.value, closures.c.target_id == room_id),
        and_(
            closures.c.target == ClosureTarget.BUILDING.value,
            closures.c.target_id == building_id,
        ),
    )
    return exists().where(
        covering, closures.c.starts_on < stay.end, closures.c.ends_on > stay.start
    )


def _building_of_target() -> ColumnElement[Any]:
    """The building a closure's target is in; null when the target is gone."""
    room_building = select(rooms.c.building_id).where(rooms.c.id == closures.c.target_id)
    bed_building = (
        select(rooms.c.building_id)
        .join(beds, beds.c.room_id == rooms.c.id)
        .where(beds.c.id == closures.c.target_id)
    )
    building = select(buildings.c.id).where(buildings.c.id == closures.c.target_id)
    return case(
        (closures.c.target == ClosureTarget.BUILDING.value, building.scalar_subquery()),
        (closures.c.target == ClosureTarget.ROOM.value, room_building.scalar_subquery()),
        else_=bed_building.scalar_subquery(),
    )


def _placed_beds() -> Select[Any]:
    return select(beds.c.id.label("bed_id"), rooms.c.id.label("room_id"), rooms.c.building_id).join(
        rooms, rooms.c.id == beds.c.room_id
    )


def _view(row: Row[Any]) -> ClosureView:
    return closure_view(closure_from(row), row.building_id)


class SqlAlchemyClosureRepository(TableRepository[Closure]):
    table = closures
    to_values = closure_values
    from_row = closure_from


class SqlAlchemyClosuresUnitOfWork(SqlAlchemyUnitOfWork):
    closures: SqlAlchemyClosureRepository
    outbox: SqlAlchemyNotificationOutbox

    def _bind(self, connection: AsyncConnection) -> None:
        self.closures = SqlAlchemyClosureRepository(connection)
        self.outbox = SqlAlchemyNotificationOutbox(connection)


class SqlAlchemyClosureQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _rows(self, query: Select[Any]) -> list[Row[Any]]:
        async with self._engine.connect() as connection:
            return list(await connection.execute(query))

    async def bed_place(self, bed_id: UUID) -> BedPlace | None:
        rows = await self._rows(_placed_beds().where(beds.c.id == bed_id))
        return None if not rows else BedPlace(rows[0].bed_id, rows[0].room_id, rows[0].building_id)

    async def target_exists(self, target: ClosureTarget, target_id: UUID) -> bool:
        table = {ClosureTarget.BED: beds, ClosureTarget.ROOM: rooms}.get(target, buildings)
        return bool(await self._rows(select(table.c.id).where(table.c.id == target_id)))

    async def covered_beds(self, target: ClosureTarget, target_id: UUID) -> list[UUID]:
        query = _placed_beds().where(_TARGET_COLUMNS[target] == target_id).order_by(beds.c.id)
        return [row.bed_id for row in await self._rows(query)]

    async def booked_beds(
        self, target: ClosureTarget, target_id: UUID, dates: DateRange
    ) -> list[BookedBed]:
        query = (
            select(bookings, rooms.c.id.label("room_id"), rooms.c.building_id)
            .join(beds, beds.c.id == bookings.c.bed_id)
            .join(rooms, rooms.c.id == beds.c.room_id)
            .where(
                _TARGET_COLUMNS[target] == target_id,
                bookings.c.state.in_(_ACTIVE),
                bookings.c.starts_on < dates.end,
                bookings.c.ends_on > dates.start,
            )
        )
        found = []
        for row in await self._rows(query):
            booking = booking_from(row)
            place = BedPlace(row.bed_id, row.room_id, row.building_id)
            found.append(
                BookedBed(booking.id, booking.resident_id, booking.state, booking.stay, place)
            )
        return found

    async def bed_closed(self, bed_id: UUID, stay: DateRange) -> bool:
        closed = closed_during(stay, beds.c.id, rooms.c.id, rooms.c.building_id)
        query = _placed_beds().where(beds.c.id == bed_id, closed)
        return bool(await self._rows(query))

    async def closure(self, closure_id: UUID) -> ClosureView | None:
        query = select(closures, _building_of_target().label("building_id"))
        rows = await self._rows(query.where(closures.c.id == closure_id))
        return None if not rows else _view(rows[0])

    async def closures(self, criteria: ClosureFilter, page: PageRequest) -> ClosurePage:
        building_id = _building_of_target()
        query = select(closures, building_id.label("building_id")).order_by(
            closures.c.starts_on.desc(), closures.c.id
        )
        if criteria.building_id is not None:
            query = query.where(building_id == criteria.building_id)
        if criteria.active_on is not None:
            day = criteria.active_on
            query = query.where(closures.c.starts_on <= day, closures.c.ends_on > day)
        total, rows = await fetch_page(self._engine, query, page)
        return ClosurePage(
            items=[_view(row) for row in rows], total=total, limit=page.limit, offset=page.offset
        )
