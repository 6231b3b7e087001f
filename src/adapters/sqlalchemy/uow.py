"""Unit of work over one database connection and transaction."""

import re
from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.tables import metadata
from domain.shared.errors import ConcurrentChange, Conflict

# PostgreSQL's SQLSTATEs for "this transaction lost a race; retrying it is safe": a deadlock
# (two inserts meeting on an exclusion constraint can form one) and a serialization failure.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})
# SQLite says "UNIQUE constraint failed: rooms.building_id, rooms.number".
_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w., ]+)")
# Rules written by hand in the migrations, by constraint name (SQLite's triggers start their
# message with the same name): the field each is about, and what the caller is told.
NAMED_RULES = {
    "ex_bookings_bed_stay": (
        "bed_id",
        "the bed already has an active booking for overlapping dates",
    ),
    "ex_bookings_resident_stay": (
        "resident_id",
        "the resident already has an active booking for overlapping dates",
    ),
}


def _unique_key_columns(constraint_name: str) -> list[str] | None:
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name == constraint_name:
                return [column.name for column in constraint.columns]
        for index in table.indexes:
            if index.unique and index.name == constraint_name:
                return [column.name for column in index.columns]
    return None


def _constraint_name(error: IntegrityError) -> str | None:
    # PostgreSQL: the message (and its DETAIL, which asyncpg leaves out of it) is translated
    # with lc_messages, the constraint name is not. asyncpg's error is the cause of the DBAPI
    # one; psycopg carries it in `diag`.
    for source in (getattr(error.orig, "__cause__", None), getattr(error.orig, "diag", None)):
        name = getattr(source, "constraint_name", None)
        if name:
            return str(name)
    message = str(error.orig)
    return next((name for name in NAMED_RULES if name in message), None)


def _violated_key(error: IntegrityError, constraint: str | None) -> list[str] | None:
    match = _SQLITE_UNIQUE.search(str(error.orig))
    if match is not None:
        return [column.strip().split(".")[-1] for column in match.group(1).split(",")]
    return None if constraint is None else _unique_key_columns(constraint)


def _sqlstate(error: DBAPIError) -> str | None:
    # asyncpg's error is the cause of the DBAPI one; psycopg's carries it itself.
    for source in (getattr(error.orig, "__cause__", None), error.orig):
        state = getattr(source, "sqlstate", None)
        if state:
            return str(state)
    return None


def conflict_from(error: IntegrityError) -> Conflict:
    """Two requests racing past a use case's check meet the database's constraint; answer the
    loser with the same 409 the check would have given."""
    constraint = _constraint_name(error)
    if constraint in NAMED_RULES:
        field, message = NAMED_RULES[constraint]
        return Conflict(message, field=field)
    columns = _violated_key(error, constraint)
    if not columns:
        return Conflict("the change conflicts with existing data")
    # The last column of a composite key is the one the caller chose (room number within building).
    field = columns[-1]
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
        if isinstance(exc, DBAPIError) and _sqlstate(exc) in RETRYABLE_SQLSTATES:
            raise ConcurrentChange from exc
