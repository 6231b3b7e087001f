"""Stored rows of a chunk read by key, a few hundred keys per query."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Row, select
from sqlalchemy.ext.asyncio import AsyncConnection

# Keys per IN (...) lookup: under SQLite's limit on bound parameters.
LOOKUP_BATCH = 900


async def rows_by(
    connection: AsyncConnection,
    columns: Sequence[Column[Any]],
    key: Column[Any],
    values: Sequence[Any],
) -> dict[Any, Row[Any]]:
    """The rows whose `key` is one of `values`, by that key."""
    found: dict[Any, Row[Any]] = {}
    for start in range(0, len(values), LOOKUP_BATCH):
        batch = values[start : start + LOOKUP_BATCH]
        result = await connection.execute(select(*columns).where(key.in_(batch)))
        for row in result:
            found[row._mapping[key.name]] = row
    return found
