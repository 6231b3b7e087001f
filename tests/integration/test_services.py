"""The service fixtures themselves: an unreachable service fails CI and is skipped loudly
elsewhere, and the Redis fixture hands out a working, empty database."""

import pytest
from redis.asyncio import Redis

from tests.integration.conftest import ServiceUnavailableWarning, service_unavailable

DOWN = ConnectionRefusedError(111, "Connect call failed")
URL = "postgresql+asyncpg://postgres:hunter2@db.example:5432/test"


@pytest.mark.parametrize("ci", ["true", "TRUE"])
def test_an_unreachable_service_fails_under_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)

    with pytest.raises(pytest.fail.Exception) as failed:
        service_unavailable("PostgreSQL", URL, DOWN)

    assert "PostgreSQL at postgresql+asyncpg://postgres:***@db.example:5432/test" in str(
        failed.value
    )
    assert "hunter2" not in str(failed.value)


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_an_unreachable_service_is_skipped_with_a_warning_elsewhere(
    monkeypatch: pytest.MonkeyPatch, ci: str | None
) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)

    with (
        pytest.warns(ServiceUnavailableWarning, match="Redis at redis://cache:6379/15"),
        pytest.raises(pytest.skip.Exception, match="Redis unavailable"),
    ):
        service_unavailable("Redis", "redis://cache:6379/15", DOWN)


async def test_the_redis_fixture_gives_an_empty_working_database(redis_client: Redis) -> None:
    assert await redis_client.dbsize() == 0
    await redis_client.set("residence:test", "value", ex=60)
    assert await redis_client.get("residence:test") == b"value"
