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

HOUSING_TABLES = {"buildings", "rooms", "beds", "residents", "terms"}
ACCOUNTS_TABLES = {
    "users",
    "refresh_tokens",
    "revoked_access_tokens",
    "audit_entries",
    "login_failures",
}
JOBS_TABLES = {"jobs"}
NOTIFICATIONS_TABLES = {"notifications"}
BOOKINGS_TABLES = {"bookings"}
ANNOUNCEMENTS_TABLES = {"announcements"}
IMPORTS_TABLES = {"voters", "imports", "import_chunks", "import_problems"}
IDEMPOTENCY_TABLES = {"idempotency_keys"}
MAINTENANCE_TABLES = {
    "maintenance_technicians",
    "maintenance_requests",
    "maintenance_request_history",
    "maintenance_schedules",
}
LATER_TABLES = IDEMPOTENCY_TABLES | IMPORTS_TABLES | MAINTENANCE_TABLES
NO_OVERLAP_CONSTRAINTS = {"ex_bookings_bed_stay", "ex_bookings_resident_stay"}
ALL_TABLES = (
    HOUSING_TABLES
    | ACCOUNTS_TABLES
    | JOBS_TABLES
    | NOTIFICATIONS_TABLES
    | BOOKINGS_TABLES
    | ANNOUNCEMENTS_TABLES
    | IMPORTS_TABLES
    | IDEMPOTENCY_TABLES
    | MAINTENANCE_TABLES
)


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


async def test_downgrade_to_housing_removes_only_the_accounts_tables(
    fresh_engine: AsyncEngine,
) -> None:
    await upgrade_to_head(fresh_engine)

    await downgrade_to(fresh_engine, "0001")

    assert await current_revision(fresh_engine) == "0001"
    assert await table_names(fresh_engine) == HOUSING_TABLES

    await upgrade_to_head(fresh_engine)

    assert await table_names(fresh_engine) == ALL_TABLES
    assert await schema_drift(fresh_engine) == []


async def test_downgrade_to_accounts_removes_only_the_later_tables(
    fresh_engine: AsyncEngine,
) -> None:
    await upgrade_to_head(fresh_engine)

    await downgrade_to(fresh_engine, "0002")

    assert await current_revision(fresh_engine) == "0002"
    assert await table_names(fresh_engine) == HOUSING_TABLES | ACCOUNTS_TABLES

    await upgrade_to_head(fresh_engine)

    assert await table_names(fresh_engine) == ALL_TABLES
    assert await schema_drift(fresh_engine) == []


@pytest.mark.parametrize(
    ("revision", "removed"),
    [
        ("0003", NOTIFICATIONS_TABLES | BOOKINGS_TABLES | ANNOUNCEMENTS_TABLES | LATER_TABLES),
        ("0004", BOOKINGS_TABLES | ANNOUNCEMENTS_TABLES | LATER_TABLES),
        ("0005", ANNOUNCEMENTS_TABLES | LATER_TABLES),
        ("0006", LATER_TABLES),
        ("0007", IMPORTS_TABLES | MAINTENANCE_TABLES),
        ("0008", IMPORTS_TABLES | MAINTENANCE_TABLES),
        ("0009", MAINTENANCE_TABLES),
    ],
)
async def test_downgrade_removes_only_the_later_tables_and_upgrade_restores_them(
    fresh_engine: AsyncEngine, revision: str, removed: set[str]
) -> None:
    await upgrade_to_head(fresh_engine)

    await downgrade_to(fresh_engine, revision)

    assert await current_revision(fresh_engine) == revision
    assert await table_names(fresh_engine) == ALL_TABLES - removed

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
