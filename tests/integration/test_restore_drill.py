"""The restore drill: a database with every kind of record is backed up, restored into a fresh
database (SQLite to PostgreSQL, PostgreSQL to PostgreSQL, and back to SQLite), and compared
table by table, row by row. A tampered archive is refused, naming the file."""

import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import msgspec
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.backups.restore import SqlAlchemyDatabaseRestorer
from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.migrator import current_revision, head_revision, upgrade_to_head
from adapters.sqlalchemy.tables import metadata
from application.backups.views import BackupView
from domain.backups.archive import MANIFEST, NotRestorable, TamperedArchive
from domain.backups.model import BackupState, BackupTrigger
from entrypoints.container import Container
from entrypoints.settings import Settings, load_settings
from tests.integration.backup_seed import every_row, row_counts, seed_every_table
from tests.integration.conftest import _create_postgres_database, _drop_postgres_database


@dataclass
class Database:
    url: str
    engine: AsyncEngine


@pytest.fixture
async def postgres_databases(postgres_admin: AsyncEngine) -> AsyncIterator[list[str]]:
    """Two empty, never migrated PostgreSQL databases, dropped after the test."""
    urls = [await _create_postgres_database(postgres_admin) for _ in range(2)]
    yield urls
    for url in urls:
        await _drop_postgres_database(postgres_admin, url)


def _settings(url: str, tmp_path: Path) -> Settings:
    return load_settings(
        {
            "DATABASE_URL": url,
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "restore-drill-signing-key-0123456789abcdef",
        },
        dotenv=None,
    )


async def _seeded(url: str, tmp_path: Path) -> Database:
    engine = create_engine(url)
    await upgrade_to_head(engine)
    await seed_every_table(_settings(url, tmp_path), engine)
    return Database(url, engine)


async def _back_up(url: str, tmp_path: Path) -> tuple[BackupView, Path]:
    settings = _settings(url, tmp_path)
    container = Container(settings=settings)
    try:
        backup = await container.backups.back_up_now()(BackupTrigger.CLI)
    finally:
        await container.engine().dispose()
    assert backup.state is BackupState.SUCCEEDED, backup.error
    assert backup.storage_key is not None
    return backup, settings.storage_dir / backup.storage_key


async def _restore(url: str, archive: Path, *, replace: bool = False) -> AsyncEngine:
    engine = create_engine(url)
    await SqlAlchemyDatabaseRestorer(engine).restore(archive, replace=replace)
    return engine


def _without_the_backup_itself(
    rows: dict[str, list[tuple[Any, ...]]], backup_id: UUID
) -> dict[str, list[tuple[Any, ...]]]:
    """The backup's own job and record change after the snapshot (they finish): leave them out,
    and order rows the same whatever each engine's collation."""
    return {
        name: sorted((row for row in table if row[0] != backup_id), key=repr)
        for name, table in rows.items()
    }


async def _drill(source: Database, target_url: str, tmp_path: Path) -> None:
    counts = await row_counts(source.engine)
    assert [name for name, count in counts.items() if count == 0] == [], "seed every table"
    # Read before the backup: it adds its own job and record, and retention may then delete
    # older backup records that the snapshot still holds.
    before = await every_row(source.engine)
    backup, archive = await _back_up(source.url, tmp_path)

    target = await _restore(target_url, archive)
    try:
        restored = _without_the_backup_itself(await every_row(target), backup.id)
        assert await current_revision(target) == head_revision()
    finally:
        await target.dispose()

    # The snapshot holds the backup's own job and record, as they were when it began.
    assert backup.row_counts == counts | {
        "jobs": counts["jobs"] + 1,
        "backups": counts["backups"] + 1,
    }
    expected = _without_the_backup_itself(before, backup.id)
    for name in expected:
        assert restored[name] == expected[name], f"table {name} differs after the restore"


async def test_sqlite_to_postgresql(tmp_path: Path, postgres_databases: list[str]) -> None:
    source = await _seeded(f"sqlite+aiosqlite:///{tmp_path / 'source.db'}", tmp_path)
    try:
        await _drill(source, postgres_databases[0], tmp_path)
    finally:
        await source.engine.dispose()


async def test_postgresql_to_postgresql_and_back_to_sqlite(
    tmp_path: Path, postgres_databases: list[str]
) -> None:
    source = await _seeded(postgres_databases[0], tmp_path)
    try:
        await _drill(source, postgres_databases[1], tmp_path)
        await _drill(source, f"sqlite+aiosqlite:///{tmp_path / 'target.db'}", tmp_path)
    finally:
        await source.engine.dispose()


def _rewritten(archive: Path, target: Path, change: Any) -> Path:
    """A copy of the archive whose members pass through `change(name, content)`."""
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(target, "w") as copy:
        for name in original.namelist():
            copy.writestr(name, change(name, original.read(name)))
    return target


@pytest.fixture
async def sqlite_archive(tmp_path: Path) -> Path:
    source = await _seeded(f"sqlite+aiosqlite:///{tmp_path / 'source.db'}", tmp_path)
    try:
        _, archive = await _back_up(source.url, tmp_path)
    finally:
        await source.engine.dispose()
    return archive


async def test_a_tampered_archive_is_refused_naming_the_file(
    sqlite_archive: Path, tmp_path: Path
) -> None:
    def change(name: str, content: bytes) -> bytes:
        return content.replace(b"Physics", b"Alchemy") if name == "residents.jsonl" else content

    tampered = _rewritten(sqlite_archive, tmp_path / "tampered.zip", change)
    target_url = f"sqlite+aiosqlite:///{tmp_path / 'target.db'}"

    with pytest.raises(TamperedArchive) as refused:
        await _restore(target_url, tampered)

    assert refused.value.file == "residents.jsonl"
    engine = create_engine(target_url)
    try:
        assert await current_revision(engine) is None  # nothing was touched
    finally:
        await engine.dispose()


async def test_a_database_with_rows_is_refused_unless_replaced(
    sqlite_archive: Path, tmp_path: Path
) -> None:
    target = await _seeded(f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}", tmp_path)
    try:
        before = await row_counts(target.engine)
        with pytest.raises(NotRestorable, match="--replace"):
            await _restore(target.url, sqlite_archive)
        assert await row_counts(target.engine) == before

        engine = await _restore(target.url, sqlite_archive, replace=True)
        await engine.dispose()
        manifest = msgspec.json.decode(zipfile.ZipFile(sqlite_archive).read(MANIFEST))
        assert await row_counts(target.engine) == {
            table["name"]: table["rows"] for table in manifest["tables"]
        }
    finally:
        await target.engine.dispose()


async def test_an_older_archive_is_migrated_forward(sqlite_archive: Path, tmp_path: Path) -> None:
    """An archive made at revision 0009 (before the backups tables and residents' locked
    fields) loads at 0009 and is then migrated to head."""
    newer = {
        "closures",
        "payments",
        "payment_events",
        "payment_reminders",
        "sandbox_checkouts",
        "import_rejected_rows",
        "backups",
        "sync_runs",
        "directory_absences",
        "maintenance_technicians",
        "maintenance_requests",
        "maintenance_request_history",
        "maintenance_schedules",
        "schedule_claims",
    }
    later_columns = {
        "residents": {"locked_fields"},
        "imports": {"sheet", "header", "resumes", "resumed_at"},
        "jobs": {"phase"},
    }
    manifest = msgspec.json.decode(zipfile.ZipFile(sqlite_archive).read(MANIFEST))
    entries = {table["file"]: table for table in manifest["tables"]}
    residents = entries["residents.jsonl"]

    def older(name: str, content: bytes) -> bytes:
        entry = entries.get(name)
        if entry is None or entry["name"] not in later_columns:
            return content
        keep = [i for i, c in enumerate(entry["columns"]) if c not in later_columns[entry["name"]]]
        lines = [msgspec.json.decode(line) for line in io.BytesIO(content)]
        return b"".join(msgspec.json.encode([row[i] for i in keep]) + b"\n" for row in lines)

    old_content: dict[str, bytes] = {}

    def rewrite(name: str, content: bytes) -> bytes:
        old_content[name] = older(name, content)
        return old_content[name]

    staged = _rewritten(sqlite_archive, tmp_path / "staged.zip", rewrite)
    tables = []
    for table in manifest["tables"]:
        if table["name"] in newer:
            continue
        dropped = later_columns.get(table["name"], set())
        table["columns"] = [c for c in table["columns"] if c not in dropped]
        table["sha256"] = hashlib.sha256(old_content[table["file"]]).hexdigest()
        tables.append(table)
    manifest.update(schema_revision="0009", tables=tables)

    def finish(name: str, content: bytes) -> bytes:
        return msgspec.json.encode(manifest) if name == MANIFEST else content

    with zipfile.ZipFile(staged) as source, zipfile.ZipFile(tmp_path / "old.zip", "w") as old:
        for name in source.namelist():
            if name.removesuffix(".jsonl") not in newer:
                old.writestr(name, finish(name, source.read(name)))

    engine = await _restore(
        f"sqlite+aiosqlite:///{tmp_path / 'old-target.db'}", tmp_path / "old.zip"
    )
    try:
        assert await current_revision(engine) == head_revision()
        counts = await row_counts(engine)
        assert counts["residents"] == residents["rows"]
        assert counts["backups"] == 0
    finally:
        await engine.dispose()


def test_every_table_is_in_the_archive_order() -> None:
    # The archive follows the MetaData's dependency order; a restore inserts in the same order.
    names = [table.name for table in metadata.sorted_tables]
    assert names.index("residents") < names.index("bookings") < len(names)
