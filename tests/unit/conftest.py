"""Unit-test wiring: the real container and app, with every port swapped for an in-memory fake."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dependency_injector import providers
from litestar.testing import AsyncTestClient

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.fakes import (
    FixedClock,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
    StaticProbe,
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"VAR_DIR": str(tmp_path / "var")}, dotenv=None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(clock: FixedClock) -> InMemoryHousingStore:
    return InMemoryHousingStore(clock)


@pytest.fixture
def probes() -> list[StaticProbe]:
    return [StaticProbe("database"), StaticProbe("broker")]


@pytest.fixture
def container(
    settings: Settings, store: InMemoryHousingStore, clock: FixedClock, probes: list[StaticProbe]
) -> Container:
    container = Container(settings=settings)
    container.clock.override(providers.Object(clock))
    container.housing_uow.override(providers.Factory(InMemoryHousingUnitOfWork, store))
    container.housing_queries.override(providers.Object(InMemoryHousingQueries(store)))
    container.probes.override(providers.Object(probes))
    return container


@pytest.fixture
async def client(container: Container) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    async with AsyncTestClient(app=create_app(container)) as test_client:
        yield test_client
