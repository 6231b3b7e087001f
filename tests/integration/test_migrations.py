"""The migrations build exactly the schema tables.py declares, on a fresh SQLite file and a fresh
PostgreSQL database, and can be undone and redone."""

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import CheckConstraint, ForeignKeyConstraint, UniqueConstraint, inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool

from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.migrator import (
    MIGRATIONS_DIR,
    current_revision,
    downgrade_to,
    head_revision,
    schema_drift,
    upgrade_to_head,
)
from adapters.sqlalchemy.tables import metadata
from tests.integration.housing_backends import SQL_BACKENDS

# Every revision, oldest first, with the tables it creates.
TABLES_BY_REVISION: list[tuple[str, set[str]]] = [
    ("0001", {"buildings", "rooms", "beds", "residents", "terms"}),
    (
        "0002",
        {"users", "refresh_tokens", "revoked_access_tokens", "audit_entries", "login_failures"},
    ),
    ("0003", {"jobs"}),
    ("0004", {"notifications"}),
    ("0005", {"bookings"}),
    ("0006", {"announcements"}),
    ("0007", {"idempotency_keys"}),
    ("0008", set()),
    ("0009", {"voters", "imports", "import_chunks", "import_problems"}),
    ("0010", {"closures"}),
    ("0011", {"payments", "payment_events", "payment_reminders", "sandbox_checkouts"}),
    ("0012", {"import_rejected_rows"}),
    ("0013", {"backups", "sync_runs", "directory_absences"}),
    (
        "0014",
        {
            "maintenance_technicians",
            "maintenance_requests",
            "maintenance_request_history",
            "maintenance_schedules",
        },
    ),
    ("0016", {"schedule_claims"}),
]
NO_OVERLAP_CONSTRAINTS = {"ex_bookings_bed_stay", "ex_bookings_resident_stay"}
ALL_TABLES = set().union(*(tables for _, tables in TABLES_BY_REVISION))


def tables_at(revision: str) -> set[str]:
    """The tables that exist once the migrations up to `revision` have run."""
    revisions = [name for name, _ in TABLES_BY_REVISION]
    kept = TABLES_BY_REVISION[: revisions.index(revision) + 1]
    return set().union(*(tables for _, tables in kept))


@pytest.fixture(params=SQL_BACKENDS)
def fresh_url(request: pytest.FixtureRequest) -> str:
    fixture = {"sqlite": "fresh_sqlite_url", "postgresql": "fresh_postgres_url"}[request.param]
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
async def fresh_engine(fresh_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on a database no migration has touched yet."""
    engine = create_engine(fresh_url)
    yield engine
    await engine.dispose()


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    return set(names) - {"alembic_version"}


async def test_upgrade_to_head_builds_what_tables_py_declares(fresh_engine: AsyncEngine) -> None:
    assert await current_revision(fresh_engine) is None

    await upgrade_to_head(fresh_engine)

    assert await current_revision(fresh_engine) == head_revision()
    assert await table_names(fresh_engine) == ALL_TABLES == set(metadata.tables)
    # What `alembic check` reports: autogenerate finds nothing left to migrate.
    assert await schema_drift(fresh_engine) == []
    await upgrade_to_head(fresh_engine)  # already at head: nothing to do, nothing fails
    assert await current_revision(fresh_engine) == head_revision()


async def test_downgrade_to_base_removes_everything_and_upgrade_rebuilds_it(
    fresh_engine: AsyncEngine,
) -> None:
    await upgrade_to_head(fresh_engine)

    await downgrade_to(fresh_engine, "base")

    assert await table_names(fresh_engine) == set()
    assert await current_revision(fresh_engine) is None

    await upgrade_to_head(fresh_engine)

    assert await table_names(fresh_engine) == ALL_TABLES
    assert await schema_drift(fresh_engine) == []


@pytest.mark.parametrize("revision", [name for name, _ in TABLES_BY_REVISION[:-1]])
async def test_downgrade_removes_only_the_later_tables_and_upgrade_restores_them(
    fresh_engine: AsyncEngine, revision: str
) -> None:
    await upgrade_to_head(fresh_engine)

    await downgrade_to(fresh_engine, revision)

    assert await current_revision(fresh_engine) == revision
    assert await table_names(fresh_engine) == tables_at(revision)

    await upgrade_to_head(fresh_engine)

    assert await table_names(fresh_engine) == ALL_TABLES
    assert await schema_drift(fresh_engine) == []


def _reflected_names(connection: Connection) -> dict[str, set[str | None]]:
    inspector = inspect(connection)
    return {
        table: {
            inspector.get_pk_constraint(table)["name"],
            *(item["name"] for item in inspector.get_unique_constraints(table)),
            *(item["name"] for item in inspector.get_foreign_keys(table)),
            *(item["name"] for item in inspector.get_check_constraints(table)),
            *(item["name"] for item in inspector.get_indexes(table)),
        }
        for table in ALL_TABLES
    }


async def test_constraints_and_indexes_carry_the_naming_convention_names(
    fresh_engine: AsyncEngine,
) -> None:
    # Autogenerate compares columns and types, not every constraint name; a migration that
    # later drops or alters a constraint by name needs the names to be exactly these.
    kinds = (UniqueConstraint, ForeignKeyConstraint, CheckConstraint)
    declared = {
        name: {
            str(table.primary_key.name),
            *(str(c.name) for c in table.constraints if isinstance(c, kinds)),
            *(str(index.name) for index in table.indexes),
        }
        for name, table in metadata.tables.items()
    }
    await upgrade_to_head(fresh_engine)

    async with fresh_engine.connect() as connection:
        reflected = await connection.run_sync(_reflected_names)

    if fresh_engine.dialect.name == "postgresql":
        # Exclusion constraints are written by hand in the migration; PostgreSQL reports the
        # index behind each one.
        assert reflected["bookings"] >= NO_OVERLAP_CONSTRAINTS
        reflected["bookings"] -= NO_OVERLAP_CONSTRAINTS
    assert reflected == declared
    assert "uq_rooms_building_id_number" in reflected["rooms"]


async def test_sqlite_connections_enforce_foreign_keys_after_migrating(
    fresh_sqlite_url: str,
) -> None:
    # Migrations run with foreign keys off (batch mode rebuilds tables); the pooled connection
    # goes back to the application and must enforce them again.
    engine = create_engine(fresh_sqlite_url)
    try:
        await upgrade_to_head(engine)
        pool = engine.sync_engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.checkedin() == 1  # the connection the migration used, back in the pool
        async with engine.connect() as connection:
            enforced = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await engine.dispose()
    assert enforced == 1


async def _alembic(*arguments: str, cwd: Path, environment: dict[str, str]) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alembic",
        "-c",
        str(MIGRATIONS_DIR.parent / "alembic.ini"),
        *arguments,
        cwd=cwd,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    assert process.returncode == 0, output.decode()


async def test_the_alembic_command_takes_its_url_from_x_or_from_database_url(
    tmp_path: Path,
) -> None:
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    from_x, from_settings = tmp_path / "from_x.db", tmp_path / "from_settings.db"

    await _alembic(
        "-x", f"url=sqlite:///{from_x}", "upgrade", "head", cwd=tmp_path, environment=environment
    )
    await _alembic(
        "upgrade",
        "head",
        cwd=tmp_path,
        environment=environment | {"DATABASE_URL": f"sqlite:///{from_settings}"},
    )

    for path in (from_x, from_settings):
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        try:
            assert await current_revision(engine) == head_revision()
        finally:
            await engine.dispose()
