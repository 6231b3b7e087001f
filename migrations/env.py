"""Alembic environment for the one database of Campus Residence.

Where the database comes from, first match wins:

1. `config.attributes["connection"]`: a live synchronous connection handed over by
   `adapters.sqlalchemy.migrator` from inside `AsyncConnection.run_sync`. This is how the
   application migrates itself while its event loop is running.
2. `alembic -x url=...`: an explicit URL on the command line.
3. `entrypoints.settings.load_settings().database_url`: DATABASE_URL or `.env`, like the app.
"""

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

# This file lives outside src/. The editable install already puts src/ on the path; a plain
# checkout run with another interpreter may not, so add it rather than fail on the import below.
_SRC = Path(__file__).resolve().parents[1] / "src"
if str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

from adapters.sqlalchemy.tables import metadata  # noqa: E402

config = context.config
target_metadata = metadata

# An arbitrary constant: concurrent `residence migrate` runs against one PostgreSQL queue here.
_POSTGRES_MIGRATION_LOCK = 7_214_001


def _configure_options(dialect_name: str) -> dict[str, object]:
    return {
        "target_metadata": target_metadata,
        "compare_type": True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        "render_as_batch": dialect_name == "sqlite",
    }


def _url() -> str:
    from entrypoints.settings import load_settings

    explicit = context.get_x_argument(as_dictionary=True).get("url")
    if explicit:
        # Same scheme rules as DATABASE_URL (postgresql:// -> postgresql+asyncpg://, ...).
        return load_settings({"DATABASE_URL": explicit}, dotenv=None).database_url
    return load_settings().database_url


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """A batch migration rebuilds a table by copy, drop and rename; with foreign keys enforced,
    dropping `rooms` would cascade into `beds`. The pragma is ignored inside a transaction, so
    any open one is committed first, and the connection's setting is restored afterwards
    because pooled connections go back to the application."""
    connection.commit()
    enforced = bool(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
    connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    connection.commit()
    try:
        yield
    finally:
        connection.commit()
        connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if enforced else 'OFF'}")
        connection.commit()


def _run_migrations(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        with _sqlite_foreign_keys_off(connection):
            _configure_and_run(connection)
    else:
        _configure_and_run(connection)


def _configure_and_run(connection: Connection) -> None:
    dialect_name = connection.dialect.name
    context.configure(connection=connection, **_configure_options(dialect_name))
    with context.begin_transaction():
        if dialect_name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSTGRES_MIGRATION_LOCK})")
        context.run_migrations()


async def _run_with_url(url: str) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run_migrations)
            await connection.commit()
    finally:
        await engine.dispose()


def _run_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **_configure_options(url.split(":", 1)[0].split("+", 1)[0]),
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Called by the application: leave its logging alone and use its connection.
        _run_migrations(connection)
        return
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    if context.is_offline_mode():
        _run_offline()
    else:
        asyncio.run(_run_with_url(_url()))


_main()
