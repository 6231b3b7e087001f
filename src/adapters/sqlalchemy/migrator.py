"""Alembic, driven from inside the application: `residence migrate`, `residence dev` and the
integration tests migrate through these functions instead of shelling out to `alembic`.

Each function borrows one connection of the application's engine and hands its synchronous face
(`AsyncConnection.run_sync`) to Alembic through `config.attributes["connection"]`; migrations/env.py
then uses it as is. That works inside a running event loop, where env.py's own `asyncio.run`
could not."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import metadata

# The migrations are not Python package data: they sit at the repository root next to alembic.ini
# (src/adapters/sqlalchemy/migrator.py -> parents[3] is the root). The project is installed in
# editable mode, so this file is always inside the checkout that holds them.
MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"


def _config(connection: Connection | None = None) -> Config:
    # No alembic.ini: that file configures logging for the `alembic` command, and the
    # application keeps its own logging.
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_to_head(engine: AsyncEngine) -> None:
    """Bring the database up to the newest revision; a no-op when it is already there."""
    await _migrate(engine, command.upgrade, "head")


async def downgrade_to(engine: AsyncEngine, revision: str) -> None:
    """Step back to `revision` ("base" removes every table the migrations created)."""
    await _migrate(engine, command.downgrade, revision)


async def _migrate(
    engine: AsyncEngine, action: Callable[[Config, str], None], revision: str
) -> None:
    def run(connection: Connection) -> None:
        action(_config(connection), revision)

    async with engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at; None for a database never migrated."""

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def schema_drift(engine: AsyncEngine) -> list[Any]:
    """What autogenerate would write to make the live database match tables.py; empty when the
    migrations and the tables agree. Each item is an Alembic diff tuple (or list of them)."""

    def compare(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))

    async with engine.connect() as connection:
        return await connection.run_sync(compare)


async def upgrade_to(engine: AsyncEngine, revision: str) -> None:
    """Bring the database up to `revision` exactly (a restore loads rows at their own)."""
    await _migrate(engine, command.upgrade, revision)


def revisions_oldest_first() -> list[str]:
    script = ScriptDirectory.from_config(_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]
