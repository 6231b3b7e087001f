"""The bookings that name a housing record, counted for the housing context's delete guards."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import bookings
from application.housing.ports import BookingCount
from domain.bookings.model import ACTIVE_STATES

_ACTIVE = sorted(state.value for state in ACTIVE_STATES)


class SqlAlchemyBookingRecords:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _count(self, condition: ColumnElement[bool]) -> BookingCount:
        active = func.coalesce(func.sum(case((bookings.c.state.in_(_ACTIVE), 1), else_=0)), 0)
        query: Any = select(active, func.count()).where(condition)
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).one()
        return BookingCount(active=int(row[0]), total=int(row[1]))

    async def for_resident(self, resident_id: UUID) -> BookingCount:
        return await self._count(bookings.c.resident_id == resident_id)

    async def for_beds(self, bed_ids: Sequence[UUID]) -> BookingCount:
        if not bed_ids:
            return BookingCount(active=0, total=0)
        return await self._count(bookings.c.bed_id.in_(list(bed_ids)))
