"""Loading a backup archive into a database of either engine (`residence restore`)."""

import asyncio
import hashlib
import zipfile
from pathlib import Path
from typing import IO

import msgspec
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.backups.codec import row_decoder
from adapters.sqlalchemy.migrator import (
    current_revision,
    downgrade_to,
    revisions_oldest_first,
    upgrade_to,
    upgrade_to_head,
)
from adapters.sqlalchemy.tables import metadata
from application.backups.ports import BackupManifest, RestoreReport, TableEntry
from domain.backups.archive import (
    MANIFEST,
    NotRestorable,
    TamperedArchive,
    check_files,
    migration_path,
)

BATCH_ROWS = 1000
READ_BYTES = 1024 * 1024


def read_manifest(archive: zipfile.ZipFile) -> BackupManifest:
    try:
        return msgspec.json.decode(archive.read(MANIFEST), type=BackupManifest)
    except KeyError:
        raise TamperedArchive(MANIFEST, "is missing") from None
    except msgspec.DecodeError as error:
        raise TamperedArchive(MANIFEST, f"is not a valid manifest ({error})") from error


def verify_archive(path: Path) -> BackupManifest:
    """Every member's SHA-256 against the manifest, before anything is loaded."""
    if not zipfile.is_zipfile(path):
        raise NotRestorable(f"{path} is not a backup archive (a zip file)")
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        found = {}
        for name in archive.namelist():
            if name == MANIFEST:
                continue
            digest = hashlib.sha256()
            with archive.open(name) as member:
                while block := member.read(READ_BYTES):
                    digest.update(block)
            found[name] = digest.hexdigest()
    check_files({table.file: table.sha256 for table in manifest.tables}, found)
    return manifest


def _read_lines(member: IO[bytes], count: int) -> list[bytes]:
    lines = []
    for _ in range(count):
        line = member.readline()
        if not line:
            break
        lines.append(line)
    return lines


async def _table_names(connection: AsyncConnection) -> list[str]:
    names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return [name for name in names if name != "alembic_version"]


async def _rows_present(engine: AsyncEngine) -> list[str]:
    """The tables that hold at least one row."""
    async with engine.connect() as connection:
        found = []
        for name in await _table_names(connection):
            quoted = connection.dialect.identifier_preparer.quote(name)
            if (await connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1"))).first():
                found.append(name)
        return found


class SqlAlchemyDatabaseRestorer:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def restore(self, archive: Path, *, replace: bool) -> RestoreReport:
        manifest = await asyncio.to_thread(verify_archive, archive)
        migration_path(manifest.schema_revision, revisions_oldest_first())
        await self._empty_database(replace)
        await upgrade_to(self._engine, manifest.schema_revision)
        async with self._engine.begin() as connection:
            for entry in self._in_dependency_order(manifest):
                await self._load(connection, archive, entry)
            await self._reset_sequences(connection)
        await upgrade_to_head(self._engine)
        migrated_to = await current_revision(self._engine)
        return RestoreReport(
            schema_revision=manifest.schema_revision,
            migrated_to=migrated_to or "",
            row_counts=manifest.row_counts,
        )

    async def _empty_database(self, replace: bool) -> None:
        occupied = await _rows_present(self._engine)
        if occupied and not replace:
            raise NotRestorable(
                f"the database already holds data (in {', '.join(sorted(occupied)[:5])}); "
                "restore into an empty database, or pass --replace to drop it first"
            )
        if await current_revision(self._engine) is not None:
            await downgrade_to(self._engine, "base")
        async with self._engine.connect() as connection:
            leftover = await _table_names(connection)
        if leftover:
            raise NotRestorable(
                f"the database has tables no migration made ({', '.join(sorted(leftover)[:5])})"
            )

    @staticmethod
    def _in_dependency_order(manifest: BackupManifest) -> list[TableEntry]:
        order = {table.name: index for index, table in enumerate(metadata.sorted_tables)}
        unknown = [entry.name for entry in manifest.tables if entry.name not in order]
        if unknown:
            raise NotRestorable(f"the archive holds table {unknown[0]!r}, unknown to this version")
        return sorted(manifest.tables, key=lambda entry: order[entry.name])

    async def _load(self, connection: AsyncConnection, archive: Path, entry: TableEntry) -> None:
        table = metadata.tables[entry.name]
        missing = [name for name in entry.columns if name not in table.c]
        if missing:
            raise NotRestorable(f"{entry.file}: column {missing[0]!r} is unknown to this version")
        decoder = row_decoder(table, entry.columns)
        statement = insert(table)
        loaded = 0
        with zipfile.ZipFile(archive) as opened, opened.open(entry.file) as member:
            while lines := await asyncio.to_thread(_read_lines, member, BATCH_ROWS):
                rows = [
                    dict(zip(entry.columns, decoder.decode(line), strict=True)) for line in lines
                ]
                await connection.execute(statement, rows)
                loaded += len(rows)
        if loaded != entry.rows:
            raise TamperedArchive(
                entry.file, f"holds {loaded} rows, the manifest says {entry.rows}"
            )

    @staticmethod
    async def _reset_sequences(connection: AsyncConnection) -> None:
        """Rows came with their ids; PostgreSQL's sequences must continue after the highest."""
        if connection.dialect.name != "postgresql":
            return
        for table in metadata.sorted_tables:
            column = table.autoincrement_column
            if column is None:
                continue
            highest = (await connection.execute(select(func.max(column)))).scalar()
            await connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
                {
                    "table": table.name,
                    "column": column.name,
                    "value": highest or 1,
                    "called": highest is not None,
                },
            )
