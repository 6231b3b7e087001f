"""Two schedulers, one firing: the database's primary key lets exactly one of them kick it."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from taskiq import InMemoryBroker, ScheduledTask
from taskiq.exceptions import ScheduledTaskCancelledError

from adapters.sqlalchemy.schedule_claims import SqlAlchemyScheduleClaims
from entrypoints.worker.scheduler import ClaimedLabelScheduleSource
from tests.integration.housing_backends import SQL_BACKENDS, engine_for

SLOT = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


async def test_of_many_simultaneous_claims_of_one_firing_exactly_one_wins(
    engine: AsyncEngine,
) -> None:
    claims = SqlAlchemyScheduleClaims(engine)

    won = await asyncio.gather(
        *(claims.claim("bookings.expire_holds", SLOT, f"scheduler-{n}") for n in range(8))
    )

    assert sorted(won) == [False] * 7 + [True]


async def test_other_slots_and_other_schedules_are_claimed_apart(engine: AsyncEngine) -> None:
    claims = SqlAlchemyScheduleClaims(engine)

    assert await claims.claim("a", SLOT, "one")
    assert await claims.claim("a", SLOT + timedelta(minutes=1), "one")
    assert await claims.claim("b", SLOT, "one")
    assert not await claims.claim("a", SLOT, "two")


async def test_old_claims_are_forgotten(engine: AsyncEngine) -> None:
    claims = SqlAlchemyScheduleClaims(engine)
    await claims.claim("a", SLOT - timedelta(days=3), "one")
    await claims.claim("a", SLOT, "one")

    assert await claims.forget_before(SLOT - timedelta(days=2)) == 1
    assert await claims.claim("a", SLOT - timedelta(days=3), "two")  # forgotten: free again
    assert not await claims.claim("a", SLOT, "two")


async def test_only_one_of_two_schedulers_kicks_a_due_task(engine: AsyncEngine) -> None:
    broker = InMemoryBroker()
    sources = [
        ClaimedLabelScheduleSource(broker, SqlAlchemyScheduleClaims(engine)) for _ in range(2)
    ]
    task = ScheduledTask(
        task_name="notifications.relay",
        labels={},
        args=[],
        kwargs={},
        schedule_id="notifications.relay",
        cron="* * * * *",
    )

    outcomes = await asyncio.gather(
        *(source.pre_send(task) for source in sources), return_exceptions=True
    )

    cancelled = [o for o in outcomes if isinstance(o, ScheduledTaskCancelledError)]
    assert len(cancelled) == 1
    assert outcomes.count(None) == 1
