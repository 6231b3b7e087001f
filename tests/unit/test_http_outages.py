"""A service the request needs is down: the API answers 503 with a problem document and a
Retry-After, never 500. The real adapters are pointed at ports where nothing listens."""

from collections.abc import AsyncIterator

import pytest
from dependency_injector import providers
from httpx import Response

from adapters.redis.throttle import RedisLoginThrottle
from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.housing.queries import SqlAlchemyHousingQueries
from application.accounts.model import LoginLimits
from entrypoints.container import Container
from tests.fakes import FixedClock
from tests.unit.accounts_api import Caller, Client

NOTHING_LISTENS = "127.0.0.1:9"  # the discard port: refused at once on a machine without it


def assert_unavailable(response: Response) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert int(response.headers["retry-after"]) > 0
    assert "nothing was changed" in response.json()["detail"]


async def test_login_answers_503_while_redis_is_down(
    http: Client, container: Container, clock: FixedClock
) -> None:
    throttle = RedisLoginThrottle(f"redis://{NOTHING_LISTENS}/0", clock, LoginLimits())
    container.login_throttle.override(providers.Object(throttle))

    response = await http.post(
        "/api/auth/login", json={"email": "staff@example.edu", "password": "x" * 12}
    )

    assert_unavailable(response)


@pytest.fixture
async def unreachable_database(container: Container) -> AsyncIterator[None]:
    engine = create_engine(f"postgresql+asyncpg://postgres@{NOTHING_LISTENS}/test", pool_size=1)
    container.housing_queries.override(providers.Object(SqlAlchemyHousingQueries(engine)))
    yield
    await engine.dispose()


@pytest.mark.usefixtures("unreachable_database")
async def test_reads_answer_503_while_the_database_is_down(staff: Caller) -> None:
    response = await staff.get("/api/buildings")

    assert_unavailable(response)
