"""Residents merged from an import a chunk at a time, the same way on SQLite and PostgreSQL.

The stored versions of the chunk's students are read by key (a few hundred per query), the
rows are compared in Python on the columns the file has, and the new and the changed rows are
written with one executemany INSERT and one executemany UPDATE. Resident files are thousands
of rows, not millions; the statements stay set-based all the same, never one ORM object per
row.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Row, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.imports.lookup import rows_by
from adapters.sqlalchemy.tables import residents
from domain.housing.model import ResidentStatus
from domain.imports.model import ImportMode, MergeOutcome
from domain.imports.rows import RESIDENT_FIELDS as FIELDS
from domain.imports.rows import ResidentRow


def resident_columns(row: ResidentRow) -> dict[str, Any]:
    """The row as column values (enums by value)."""
    values: dict[str, Any] = {"student_id": row.student_id}
    for name in FIELDS:
        value = getattr(row, name)
        values[name] = getattr(value, "value", value)
    return values


def _changes(stored: Row[Any], values: dict[str, Any], fields: Sequence[str]) -> bool:
    return any(stored._mapping[name] != values[name] for name in fields)


class SqlAlchemyResidentStore:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def merge(
        self,
        rows: Sequence[ResidentRow],
        fields: Sequence[str],
        mode: ImportMode,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        if mode is ImportMode.REPLACE:
            raise ValueError("residents are not merged with mode replace")
        fields = [name for name in fields if name in FIELDS]
        columns = [residents.c.student_id, *(residents.c[name] for name in FIELDS)]
        stored = await rows_by(self._connection, columns, residents.c.student_id, _ids(rows))
        owners = await rows_by(self._connection, columns, residents.c.email, _emails(rows))
        new, changed, rejected = [], [], []
        unchanged = skipped = 0
        for row in rows:
            values = resident_columns(row)
            current = stored.get(row.student_id)
            owner = owners.get(row.email)
            if owner is not None and owner.student_id != row.student_id:
                rejected.append(row.student_id)
            elif current is None:
                new.append(values)
            elif mode is ImportMode.APPEND:
                skipped += 1
            elif _changes(current, values, fields):
                changed.append(values)
            else:
                unchanged += 1
        if not dry_run:
            await self._insert(new, now)
            await self._update(changed, fields, now)
        return MergeOutcome(len(new), len(changed), unchanged, skipped, tuple(rejected))

    async def _insert(self, new: list[dict[str, Any]], now: datetime) -> None:
        if not new:
            return
        status = ResidentStatus.APPLICANT.value
        values = [
            {
                **row,
                "id": uuid4(),
                "status": status,
                "email_opt_in": True,
                "sms_opt_in": False,
                "created_at": now,
                "updated_at": now,
            }
            for row in new
        ]
        await self._connection.execute(insert(residents), values)

    async def _update(
        self, changed: list[dict[str, Any]], fields: Sequence[str], now: datetime
    ) -> None:
        if not changed:
            return
        statement = (
            update(residents)
            .where(residents.c.student_id == bindparam("key"))
            .values({name: bindparam(name) for name in (*fields, "updated_at")})
        )
        values = [
            {"key": row["student_id"], "updated_at": now, **{name: row[name] for name in fields}}
            for row in changed
        ]
        await self._connection.execute(statement, values)

    async def count(self) -> int:
        query = select(func.count()).select_from(residents)
        return int((await self._connection.execute(query)).scalar_one())


def _ids(rows: Sequence[ResidentRow]) -> list[str]:
    return [row.student_id for row in rows]


def _emails(rows: Sequence[ResidentRow]) -> list[str]:
    return [row.email for row in rows]
