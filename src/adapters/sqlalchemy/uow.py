"""Unit of work over one database connection and transaction."""

import re
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.shared.errors import Conflict

# SQLite says "UNIQUE constraint failed: rooms.building_id, rooms.number";
# PostgreSQL says "DETAIL:  Key (building_id, number)=(...) already exists."
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
_POSTGRES_KEY = re.compile(r"Key \(([^)]+)\)=")


def conflict_from(error: IntegrityError) -> Conflict:
    """Two requests racing past a use case's uniqueness check meet the database's unique
    constraint; answer the loser with the same 409 the check would have given."""
    text = str(error.orig)
    match = _SQLITE_UNIQUE.search(text) or _POSTGRES_KEY.search(text)
    if match is None:
        return Conflict("the change conflicts with existing data")
    # The last column of a composite key is the one the caller chose (room number within building).
    field = match.group(1).split(",")[-1].strip().split(".")[-1]
    return Conflict(f"{field} is already taken", field=field)


class SqlAlchemyUnitOfWork(ABC):
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None

    @abstractmethod
    def _bind(self, connection: AsyncConnection) -> None:
        """Create this unit of work's repositories on the connection."""

    async def __aenter__(self) -> Self:
        self._connection = await self._engine.connect()
        await self._connection.begin()
        self._bind(self._connection)
        return self

    async def commit(self) -> None:
        assert self._connection is not None, "commit() outside `async with`"
        await self._connection.commit()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if connection.in_transaction():
                await connection.rollback()
        finally:
            await connection.close()
        if isinstance(exc, IntegrityError):
            raise conflict_from(exc) from exc
