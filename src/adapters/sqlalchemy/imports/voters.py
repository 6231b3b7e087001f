"""The voter roll as rows, merged a chunk at a time.

PostgreSQL: the chunk is COPied into a temporary staging table, rows whose email another
student holds are taken out, and one INSERT ... ON CONFLICT DO UPDATE ... WHERE (changed) merges
the rest; RETURNING tells created rows (xmax = 0) from updated ones, and an untouched row is
unchanged. `replace` then stamps the unchanged rows with the import. SQLite: the stored versions of the chunk's students are read by key and compared in
Python, then the new and the changed rows are written with executemany.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.imports.lookup import LOOKUP_BATCH, rows_by
from adapters.sqlalchemy.tables import voters
from domain.imports.model import ImportMode, MergeOutcome
from domain.imports.rows import VoterRow

FIELDS = ("first_name", "last_name", "email", "department", "year", "is_eligible")
COLUMNS = ("student_id", *FIELDS)


def _record(row: VoterRow) -> tuple[Any, ...]:
    return tuple(getattr(row, column) for column in COLUMNS)


class _VoterStoreBase:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def remove_absent(self, import_id: UUID) -> int:
        stale = or_(voters.c.last_import_id.is_(None), voters.c.last_import_id != import_id)
        result = await self._connection.execute(delete(voters).where(stale))
        return int(result.rowcount)

    async def count(self) -> int:
        return int(
            (await self._connection.execute(select(func.count()).select_from(voters))).scalar_one()
        )


class SqliteVoterStore(_VoterStoreBase):
    async def merge(
        self,
        rows: Sequence[VoterRow],
        mode: ImportMode,
        import_id: UUID,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        stored = await self._lookup(voters.c.student_id, [row.student_id for row in rows])
        owners = await self._lookup(voters.c.email, [row.email for row in rows])
        owner_of = {found[3]: found[0] for found in owners.values()}
        new, changed, same, rejected, skipped = [], [], [], [], 0
        for row in rows:
            current = stored.get(row.student_id)
            if owner_of.get(row.email, row.student_id) != row.student_id:
                rejected.append(row.student_id)
            elif current is None:
                new.append(row)
            elif mode is ImportMode.APPEND:
                skipped += 1
            elif tuple(current[1:]) != _record(row)[1:]:
                changed.append(row)
            else:
                same.append(row.student_id)
        if not dry_run:
            await self._write(
                new, changed, same if mode is ImportMode.REPLACE else [], import_id, now
            )
        return MergeOutcome(len(new), len(changed), len(same), skipped, tuple(rejected))

    async def _lookup(self, key: Any, values: list[str]) -> dict[str, Any]:
        columns = [voters.c[name] for name in COLUMNS]
        found = await rows_by(self._connection, columns, key, values)
        return {value: tuple(row) for value, row in found.items()}

    async def _write(
        self,
        new: list[VoterRow],
        changed: list[VoterRow],
        same: list[str],
        import_id: UUID,
        now: datetime,
    ) -> None:
        stamp = {"updated_at": now, "last_import_id": import_id}
        if new:
            values = [
                {**dict(zip(COLUMNS, _record(r), strict=True)), "created_at": now, **stamp}
                for r in new
            ]
            await self._connection.execute(insert(voters), values)
        if changed:
            statement = (
                update(voters)
                .where(voters.c.student_id == bindparam("key"))
                .values({name: bindparam(name) for name in (*FIELDS, *stamp)})
            )
            values = [
                {**dict(zip(COLUMNS, _record(r), strict=True)), "key": r.student_id, **stamp}
                for r in changed
            ]
            for value in values:
                del value["student_id"]
            await self._connection.execute(statement, values)
        for start in range(0, len(same), LOOKUP_BATCH):
            batch = same[start : start + LOOKUP_BATCH]
            await self._connection.execute(
                update(voters)
                .where(voters.c.student_id.in_(batch))
                .values(last_import_id=import_id)
            )


_STAGING = "voter_staging"
_CREATE_STAGING = text(
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_STAGING} (student_id text, first_name text, "
    "last_name text, email text, department text, year integer, is_eligible boolean) "
    "ON COMMIT DELETE ROWS"
)
_TAKE_OUT_TAKEN_EMAILS = text(
    f"DELETE FROM {_STAGING} s USING voters v "
    "WHERE v.email = s.email AND v.student_id <> s.student_id RETURNING s.student_id"
)
_STORED = "(v.first_name, v.last_name, v.email, v.department, v.year, v.is_eligible)"
_STAGED = "(s.first_name, s.last_name, s.email, s.department, s.year, s.is_eligible)"
_COUNT_DRY = text(
    "SELECT count(*) FILTER (WHERE v.student_id IS NULL), "
    f"count(*) FILTER (WHERE v.student_id IS NOT NULL AND {_STORED} IS DISTINCT FROM {_STAGED}), "
    f"count(v.student_id) FROM {_STAGING} s LEFT JOIN voters v USING (student_id)"
)
_SELECT_STAGED = (
    "SELECT student_id, first_name, last_name, email, department, year, is_eligible, "
    "CAST(:now AS timestamptz), CAST(:now AS timestamptz), CAST(:import_id AS uuid) "
    f"FROM {_STAGING}"
)
_INSERT = (
    "INSERT INTO voters (student_id, first_name, last_name, email, department, year, "
    f"is_eligible, created_at, updated_at, last_import_id) {_SELECT_STAGED} "
)
_CHANGED = (
    "(voters.first_name, voters.last_name, voters.email, voters.department, voters.year, "
    "voters.is_eligible) IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, "
    "EXCLUDED.email, EXCLUDED.department, EXCLUDED.year, EXCLUDED.is_eligible)"
)
_SET = ", ".join(f"{name} = EXCLUDED.{name}" for name in FIELDS)


_UPSERT = text(
    f"{_INSERT} ON CONFLICT (student_id) DO UPDATE SET {_SET}, "
    "updated_at = EXCLUDED.updated_at, last_import_id = EXCLUDED.last_import_id "
    f"WHERE {_CHANGED} RETURNING (xmax = 0) AS created"
)
# replace: the unchanged rows of the file are stamped too, so remove_absent keeps them.
_STAMP_UNCHANGED = text(
    f"UPDATE voters SET last_import_id = CAST(:import_id AS uuid) FROM {_STAGING} s "
    "WHERE voters.student_id = s.student_id "
    "AND voters.last_import_id IS DISTINCT FROM CAST(:import_id AS uuid)"
)


class PostgresVoterStore(_VoterStoreBase):
    async def merge(
        self,
        rows: Sequence[VoterRow],
        mode: ImportMode,
        import_id: UUID,
        now: datetime,
        dry_run: bool = False,
    ) -> MergeOutcome:
        if not rows:
            return MergeOutcome()
        await self._stage(rows)
        taken = await self._connection.execute(_TAKE_OUT_TAKEN_EMAILS)
        rejected = tuple(row[0] for row in taken)
        merged = len(rows) - len(rejected)
        if dry_run:
            created, updated, matched = (await self._connection.execute(_COUNT_DRY)).one()
            skipped = matched if mode is ImportMode.APPEND else 0
            changed = 0 if mode is ImportMode.APPEND else updated
            return MergeOutcome(
                created, changed, merged - created - changed - skipped, skipped, rejected
            )
        parameters = {"now": now, "import_id": import_id}
        if mode is ImportMode.APPEND:
            statement = text(f"{_INSERT} ON CONFLICT (student_id) DO NOTHING")
            created = (await self._connection.execute(statement, parameters)).rowcount
            return MergeOutcome(created, 0, 0, merged - created, rejected)
        flags = (await self._connection.execute(_UPSERT, parameters)).all()
        created = sum(1 for flag in flags if flag.created)
        updated = len(flags) - created
        if mode is ImportMode.REPLACE:
            await self._connection.execute(_STAMP_UNCHANGED, parameters)
        return MergeOutcome(created, updated, merged - created - updated, 0, rejected)

    async def _stage(self, rows: Sequence[VoterRow]) -> None:
        await self._connection.execute(_CREATE_STAGING)
        await self._connection.execute(text(f"TRUNCATE {_STAGING}"))
        raw = await self._connection.get_raw_connection()
        driver = raw.driver_connection
        assert driver is not None
        await driver.copy_records_to_table(
            _STAGING, records=[_record(row) for row in rows], columns=list(COLUMNS)
        )
