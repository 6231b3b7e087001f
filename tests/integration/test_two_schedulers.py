"""Two `residence scheduler` processes on one PostgreSQL and Redis: every periodic task is kicked
once per firing, not twice."""

import asyncio
import json
import signal
import time
from collections import Counter
from pathlib import Path

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import schedule_claims
from entrypoints.worker.broker import QUEUE_NAME
from tests.integration.residence_process import ResidenceProcess, residence

SECRET_KEY = "integration-tests-signing-key-0123456789"
# Cron schedules fire on the minute: the first firing may be a minute away.
FIRST_FIRING_SECONDS = 90
SCHEDULE = "notifications.relay"
KICK_SECONDS = 10
# What the scheduler that loses a firing logs (at DEBUG).
LOST = "was kicked by another scheduler"


def wait_until_one_loses(processes: list[ResidenceProcess], timeout: float) -> None:
    """Polls the processes' output until one of them lost a firing to the other."""
    deadline = time.monotonic() + timeout
    while not any(LOST in process.transcript() for process in processes):
        if time.monotonic() > deadline:
            said = "\n---\n".join(process.transcript() for process in processes)
            raise AssertionError(f"no scheduler lost a firing within {timeout}s:\n{said}")
        time.sleep(0.2)


async def kicked_task_names(redis_client: Redis) -> Counter[str]:
    messages = await redis_client.xrange(QUEUE_NAME)
    return Counter(json.loads(fields[b"data"])["task_name"] for _, fields in messages)


async def claimed_slots(engine: AsyncEngine) -> int:
    query = select(schedule_claims.c.slot).where(schedule_claims.c.schedule_id == SCHEDULE)
    async with engine.connect() as connection:
        return len((await connection.execute(query)).all())


async def test_two_schedulers_kick_each_firing_once(
    postgres_url: str,
    postgres_engine: AsyncEngine,
    redis_client: Redis,
    redis_url: str,
    tmp_path: Path,
) -> None:
    env = {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "DEBUG",
    }
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    with (
        residence(["scheduler"], tmp_path / "one", **env) as first,
        residence(["scheduler"], tmp_path / "two", **env) as second,
    ):
        await asyncio.to_thread(wait_until_one_loses, [first, second], FIRST_FIRING_SECONDS)
        # The winner claims before it kicks: let its kick land before stopping it.
        deadline = time.monotonic() + KICK_SECONDS
        while (await kicked_task_names(redis_client))[SCHEDULE] == 0:
            assert time.monotonic() < deadline, "the winning scheduler never kicked"
            await asyncio.sleep(0.1)
        for process in (first, second):
            assert await asyncio.to_thread(process.stop, signal.SIGTERM) == 0

    slots = await claimed_slots(postgres_engine)
    assert slots >= 1
    assert (await kicked_task_names(redis_client))[SCHEDULE] == slots
