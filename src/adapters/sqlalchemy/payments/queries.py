"""Read side of payments: what a stay costs."""

from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import beds, rooms
from domain.shared.money import Money


class SqlAlchemyPaymentQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def nightly_rate(self, bed_id: UUID) -> Money | None:
        query = (
            select(rooms.c.nightly_rate_cents, rooms.c.currency)
            .join(beds, beds.c.room_id == rooms.c.id)
            .where(beds.c.id == bed_id)
        )
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else Money.from_cents(row.nightly_rate_cents, row.currency)
