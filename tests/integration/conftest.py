"""Real services for the integration tests.

TEST_POSTGRES_URL names a PostgreSQL server and an existing database to connect to; each test
session creates its own database there, migrates it and drops it at the end. TEST_REDIS_URL
names a Redis database the tests may empty. A service that cannot be reached skips its tests
with a warning, except under CI=true, where it fails them: CI must never pass by skipping.

Databases are migrated once per session; tests empty the tables before they run instead."""

import os
import secrets
import warnings
from collections.abc import AsyncIterator
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlsplit, urlunsplit

import pytest
import pytest_asyncio
from redis.asyncio import Redis
from sqlalchemy import delete, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.migrator import upgrade_to_head
from adapters.sqlalchemy.tables import metadata
from entrypoints.settings import load_settings
from tests.integration.housing_backends import (
    ALL_BACKENDS,
    Backend,
    engine_for,
    memory_backend,
    sql_backend,
)

# Read with the same rules as DATABASE_URL, so postgresql://... gets the asyncpg driver.
POSTGRES_URL = load_settings(
    {
        "DATABASE_URL": os.environ.get(
            "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
        )
    },
    dotenv=None,
).database_url
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CONNECT_TIMEOUT_SECONDS = 5


class ServiceUnavailableWarning(UserWarning):
    """A service the integration tests need is down; its tests were skipped."""


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def service_unavailable(service: str, url: str, error: BaseException) -> NoReturn:
    """Fail under CI=true, otherwise skip loudly: a skipped suite must never look like a pass."""
    message = f"{service} at {_redacted(url)} is unreachable ({type(error).__name__}: {error})"
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{message}; CI=true requires every integration service", pytrace=False)
    warnings.warn(
        f"{message}: its integration tests are SKIPPED", ServiceUnavailableWarning, stacklevel=2
    )
    pytest.skip(f"SKIPPED, {service} unavailable: {message}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests by the services they use, so `-m "not postgres"` deselects them. Tests that
    pick a backend by parameter carry the mark on that parameter instead."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if {"postgres_url", "fresh_postgres_url", "postgres_engine"} & set(names):
            item.add_marker(pytest.mark.postgres)
        if "redis_url" in names:
            item.add_marker(pytest.mark.redis)


# --- PostgreSQL ----------------------------------------------------------------------------------


def _admin_engine() -> AsyncEngine:
    # AUTOCOMMIT: CREATE DATABASE and DROP DATABASE refuse to run inside a transaction.
    return create_async_engine(
        POSTGRES_URL,
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS},
    )


async def _create_postgres_database(admin: AsyncEngine) -> str:
    name = f"residence_test_{os.getpid()}_{secrets.token_hex(4)}"
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


async def _drop_postgres_database(admin: AsyncEngine, url: str) -> None:
    name = make_url(url).database
    async with admin.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_admin() -> AsyncIterator[AsyncEngine]:
    """An engine on the TEST_POSTGRES_URL database, checked once per session."""
    admin = _admin_engine()
    try:
        async with admin.connect() as connection:
            await connection.exec_driver_sql("SELECT 1")
    except Exception as error:  # any failure to connect means the same thing here
        await admin.dispose()
        service_unavailable("PostgreSQL", POSTGRES_URL, error)
    yield admin
    await admin.dispose()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_url(postgres_admin: AsyncEngine) -> AsyncIterator[str]:
    """A database of this session's own, migrated to head."""
    url = await _create_postgres_database(postgres_admin)
    try:
        engine = create_engine(url)
        try:
            await upgrade_to_head(engine)
        finally:
            await engine.dispose()
        yield url
    finally:
        await _drop_postgres_database(postgres_admin, url)


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_postgres_url(postgres_admin: AsyncEngine) -> AsyncIterator[str]:
    """An empty, never migrated database, dropped after the test."""
    url = await _create_postgres_database(postgres_admin)
    try:
        yield url
    finally:
        await _drop_postgres_database(postgres_admin, url)


# --- SQLite --------------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("sqlite") / "residence.db"
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    try:
        await upgrade_to_head(engine)
    finally:
        await engine.dispose()
    return url


@pytest.fixture
def fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"


# --- Engines on the migrated databases, emptied before each test ---------------------------------


async def _emptied_engine(url: str) -> AsyncEngine:
    engine = create_engine(url, pool_size=4)
    async with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):  # dependants first
            await connection.execute(delete(table))
    return engine


@pytest.fixture
async def sqlite_engine(sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = await _emptied_engine(sqlite_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def postgres_engine(postgres_url: str) -> AsyncIterator[AsyncEngine]:
    engine = await _emptied_engine(postgres_url)
    yield engine
    await engine.dispose()


# --- The housing ports on every backend ------------------------------------------------------------


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    """The in-memory fakes, SQLite and PostgreSQL in turn, for the contract tests."""
    if request.param == "memory":
        return memory_backend()
    return sql_backend(request.param, engine_for(request, request.param))


# --- Redis ---------------------------------------------------------------------------------------


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def redis_url() -> str:
    """TEST_REDIS_URL, checked once per session."""
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        await client.ping()
    except Exception as error:  # any failure to connect means the same thing here
        service_unavailable("Redis", REDIS_URL, error)
    finally:
        await client.aclose()
    return REDIS_URL


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    """A client on the test database, emptied before and after the test."""
    client = Redis.from_url(redis_url, socket_connect_timeout=CONNECT_TIMEOUT_SECONDS)
    await client.flushdb()
    yield client
    await client.flushdb()
    await client.aclose()
