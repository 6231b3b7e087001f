"""Rows as JSON Lines: each line is one row as a JSON array, in the column order the manifest
lists. Values are typed by the columns of tables.py when read back, so UUIDs, dates, aware
datetimes, decimals, bytes (base64) and booleans come back exactly, whichever engine wrote
them. A JSON column's SQL NULL and JSON `null` are both read back as None."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import msgspec
from sqlalchemy import JSON, Column, Table, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.types import TypeDecorator

ENCODER = msgspec.json.Encoder(decimal_format="string")


def _python_type(column: Column[Any]) -> Any:
    kind = column.type
    if isinstance(kind, TypeDecorator):  # UtcDateTime: typed by what it stores
        kind = kind.impl_instance
    if isinstance(kind, JSON):
        return Any
    return kind.python_type | None


def row_decoder(table: Table, column_names: Sequence[str]) -> msgspec.json.Decoder[Any]:
    types = tuple(_python_type(table.c[name]) for name in column_names)
    return msgspec.json.Decoder(tuple.__class_getitem__(types))  # type: ignore[attr-defined]


@asynccontextmanager
async def snapshot_connection(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection whose every read sees the database as it was at its first read.

    PostgreSQL: one REPEATABLE READ, read-only transaction. SQLite: an explicit BEGIN (the
    driver would otherwise run each SELECT in a transaction of its own); in WAL mode the read
    transaction sees one snapshot and never blocks writers."""
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
            await connection.begin()
        else:
            await connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            await connection.rollback()


async def schema_revision(connection: AsyncConnection) -> str:
    found = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    if found is None:
        raise RuntimeError("the database was never migrated: run `residence migrate`")
    return str(found)
