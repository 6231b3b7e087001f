"""The parts every table-backed repository shares: get, add, update and delete by id."""

from collections.abc import Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement, Row, Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection


class _HasId(Protocol):
    id: UUID


EntityT = TypeVar("EntityT", bound=_HasId)


class TableRepository(Generic[EntityT]):
    table: ClassVar[Table]
    to_values: ClassVar[Callable[[Any], dict[str, Any]]]
    from_row: ClassVar[Callable[[Row[Any]], Any]]

    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def _first(self, *conditions: ColumnElement[bool]) -> EntityT | None:
        row = (await self._connection.execute(select(self.table).where(*conditions))).first()
        return None if row is None else type(self).from_row(row)  # type: ignore[no-any-return]

    async def get(self, entity_id: UUID) -> EntityT | None:
        return await self._first(self.table.c.id == entity_id)

    async def add(self, entity: EntityT) -> None:
        await self._connection.execute(insert(self.table).values(type(self).to_values(entity)))

    async def update(self, entity: EntityT) -> None:
        values = type(self).to_values(entity)
        del values["id"]
        await self._connection.execute(
            update(self.table).where(self.table.c.id == entity.id).values(values)
        )

    async def delete(self, entity_id: UUID) -> None:
        await self._connection.execute(delete(self.table).where(self.table.c.id == entity_id))
