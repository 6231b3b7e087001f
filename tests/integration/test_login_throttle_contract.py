"""The login throttle's contract: the same assertions against the in-memory fake, the database
counters (SQLite, PostgreSQL) and the Redis counters. Time is a FixedClock moved by the tests;
Redis names its counters by window start, so moving the clock moves to a new counter."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.redis.throttle import KEY_PREFIX, RedisLoginThrottle
from adapters.sqlalchemy.accounts.throttle import SqlAlchemyLoginThrottle
from application.accounts.model import LoginLimits
from application.accounts.ports import LoginThrottle
from domain.shared.errors import RateLimited
from tests.fakes import FixedClock, InMemoryLoginThrottle
from tests.integration.housing_backends import SQL_BACKENDS, engine_for

LIMITS = LoginLimits(failures_per_account=3, failures_per_address=5, window=timedelta(minutes=15))
WINDOW_SECONDS = 15 * 60
# 5 minutes 30 seconds into a window that starts at 09:00.
START = datetime(2026, 9, 1, 9, 5, 30, tzinfo=UTC)
SECONDS_LEFT_AT_START = WINDOW_SECONDS - 330

ALL_THROTTLES = ["memory", *SQL_BACKENDS, pytest.param("redis", marks=pytest.mark.redis)]


@dataclass(frozen=True)
class Subject:
    throttle: LoginThrottle
    clock: FixedClock
    # Unique to the test: the Redis database is shared, so tests never reuse each other's keys.
    tag: str

    def account(self, name: str = "ada") -> str:
        return f"account:{name}.{self.tag}@example.edu"

    def address(self, number: int = 7) -> str:
        return f"address:203.0.113.{number}#{self.tag}"


@pytest.fixture(params=ALL_THROTTLES)
def service(request: pytest.FixtureRequest) -> tuple[str, AsyncEngine | str | None]:
    """Which throttle, and what it runs on: resolved here, synchronously, because an async
    fixture cannot ask for the (async) engine and Redis fixtures by name."""
    if request.param == "memory":
        return "memory", None
    if request.param == "redis":
        redis_url: str = request.getfixturevalue("redis_url")
        return "redis", redis_url
    return "sql", engine_for(request, request.param)


@pytest.fixture
async def subject(service: tuple[str, AsyncEngine | str | None]) -> AsyncIterator[Subject]:
    clock, tag = FixedClock(START), uuid4().hex
    match service:
        case "redis", str(redis_url):
            throttle = RedisLoginThrottle(redis_url, clock, LIMITS)
            try:
                yield Subject(throttle, clock, tag)
            finally:
                await throttle.close()
                await _delete_keys_tagged(redis_url, tag)
        case "sql", AsyncEngine() as engine:
            yield Subject(SqlAlchemyLoginThrottle(engine, clock, LIMITS), clock, tag)
        case _:
            yield Subject(InMemoryLoginThrottle(clock, LIMITS), clock, tag)


async def _delete_keys_tagged(redis_url: str, tag: str) -> None:
    """Only this test's counters: other processes may use the same Redis database."""
    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"{KEY_PREFIX}*{tag}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


async def failed(subject: Subject, *keys: str, times: int = 1) -> None:
    for _ in range(times):
        await subject.throttle.record_failure(list(keys))


async def assert_limited(subject: Subject, *keys: str) -> RateLimited:
    with pytest.raises(RateLimited) as raised:
        await subject.throttle.check(list(keys))
    return raised.value


async def test_under_the_limit_the_check_passes(subject: Subject) -> None:
    account, address = subject.account(), subject.address()
    await subject.throttle.check([account, address])  # no failures yet

    await failed(subject, account, address, times=2)

    await subject.throttle.check([account, address])


async def test_at_the_limit_the_check_says_how_long_to_wait(subject: Subject) -> None:
    account, address = subject.account(), subject.address()
    await failed(subject, account, address, times=3)

    limited = await assert_limited(subject, account, address)

    assert 1 <= limited.retry_after_seconds <= WINDOW_SECONDS
    assert limited.retry_after_seconds == SECONDS_LEFT_AT_START


async def test_accounts_and_addresses_have_their_own_limits(subject: Subject) -> None:
    ada, bea, address = subject.account("ada"), subject.account("bea"), subject.address()

    await failed(subject, ada, address, times=3)

    await assert_limited(subject, ada, address)
    await assert_limited(subject, ada)
    await subject.throttle.check([address])  # 3 of the address's 5
    await subject.throttle.check([bea, address])

    await failed(subject, bea, address, times=2)

    await assert_limited(subject, address)
    await assert_limited(subject, bea, address)  # bea has 2 of 3, the address is spent
    await subject.throttle.check([bea])
    await subject.throttle.check([bea, subject.address(8)])


async def test_clear_resets_one_key_only(subject: Subject) -> None:
    ada, bea, address = subject.account("ada"), subject.account("bea"), subject.address()
    await failed(subject, ada, address, times=3)
    await failed(subject, bea, times=3)

    await subject.throttle.clear(ada)

    await subject.throttle.check([ada])
    await assert_limited(subject, bea)
    await failed(subject, ada, address, times=2)
    await subject.throttle.check([ada])  # counting from zero again: 2 of 3
    await assert_limited(subject, address)  # untouched by clear: 5 of 5
    await failed(subject, ada)
    await assert_limited(subject, ada)


async def test_the_next_window_starts_fresh(subject: Subject) -> None:
    account, address = subject.account(), subject.address()
    await failed(subject, account, address, times=3)

    subject.clock.advance(timedelta(seconds=SECONDS_LEFT_AT_START - 1))  # 09:14:59
    last_second = await assert_limited(subject, account)
    assert last_second.retry_after_seconds == 1

    subject.clock.advance(timedelta(seconds=1))  # 09:15:00, a new window
    await subject.throttle.check([account, address])
    await failed(subject, account, address, times=2)
    await subject.throttle.check([account, address])
    await failed(subject, account, address)
    limited = await assert_limited(subject, account, address)
    assert limited.retry_after_seconds == WINDOW_SECONDS
