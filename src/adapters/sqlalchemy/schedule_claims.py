from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import schedule_claims


class SqlAlchemyScheduleClaims:
    """The primary key (schedule, slot) decides which scheduler kicks a firing: the database
    settles the race, whichever process is first and however many run."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(self, schedule_id: str, slot: datetime, claimant: str) -> bool:
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    insert(schedule_claims).values(
                        schedule_id=schedule_id, slot=slot, claimed_by=claimant
                    )
                )
        except IntegrityError:
            return False
        return True

    async def forget_before(self, cutoff: datetime) -> int:
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(schedule_claims).where(schedule_claims.c.slot < cutoff)
            )
        return result.rowcount
