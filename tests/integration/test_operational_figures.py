"""The figures /metrics reports, read from real stores: job counts, the outbox backlog and the
bookings on hold from SQLite and PostgreSQL, and the task queue's depth from a Redis stream."""

from datetime import UTC, datetime

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.redis.queue_gauge import RedisStreamQueueGauge
from adapters.sqlalchemy.figures import SqlAlchemyFigureStore
from adapters.sqlalchemy.jobs.repository import SqlAlchemyJobRepository
from application.system.figures import JobCount
from domain.bookings.model import BookingState
from domain.jobs.model import Job, JobState
from domain.notifications.model import DeliveryState
from tests.integration.housing_backends import SQL_BACKENDS, engine_for
from tests.integration.notifications_backends import a_notification, queued, sql_outbox
from tests.integration.test_booking_store import a_booking, a_campus, add

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


async def some_jobs(engine: AsyncEngine, *kinds_and_states: tuple[str, JobState]) -> None:
    jobs = SqlAlchemyJobRepository(engine)
    for kind, state in kinds_and_states:
        await jobs.add(Job(kind=kind, created_at=NOW, updated_at=NOW, state=state))


async def test_an_empty_campus_reports_zeros(engine: AsyncEngine) -> None:
    figures = await SqlAlchemyFigureStore(engine).read()

    assert figures.jobs == []
    assert (figures.outbox_backlog, figures.outbox_failed, figures.booking_holds) == (0, 0, 0)


async def test_jobs_are_counted_by_kind_and_state(engine: AsyncEngine) -> None:
    await some_jobs(
        engine,
        ("imports.run", JobState.RUNNING),
        ("imports.run", JobState.RUNNING),
        ("imports.run", JobState.SUCCEEDED),
        ("bookings.allocate", JobState.QUEUED),
    )

    figures = await SqlAlchemyFigureStore(engine).read()

    assert figures.jobs == [
        JobCount(kind="bookings.allocate", state="queued", count=1),
        JobCount(kind="imports.run", state="running", count=2),
        JobCount(kind="imports.run", state="succeeded", count=1),
    ]


async def test_the_backlog_counts_what_the_relay_has_yet_to_deliver(engine: AsyncEngine) -> None:
    await queued(
        sql_outbox("sql", engine),
        a_notification("a@example.edu"),
        a_notification("b@example.edu"),
        a_notification("c@example.edu", state=DeliveryState.SENT, sent_at=NOW),
        a_notification("d@example.edu", state=DeliveryState.FAILED, attempts=5),
    )

    figures = await SqlAlchemyFigureStore(engine).read()

    assert (figures.outbox_backlog, figures.outbox_failed) == (2, 1)


async def test_only_held_bookings_count_as_holds(engine: AsyncEngine) -> None:
    beds, residents = await a_campus(engine, beds=2, residents=2)
    await add(engine, a_booking(residents[0], beds[0]))
    await add(engine, a_booking(residents[1], beds[1], state=BookingState.CONFIRMED))

    figures = await SqlAlchemyFigureStore(engine).read()

    assert figures.booking_holds == 1


STREAM = "tests:figures:tasks"
GROUP = "tests-workers"


async def test_the_queue_depth_of_a_stream_nobody_wrote_to_is_zero(
    redis_client: Redis, redis_url: str
) -> None:
    assert await RedisStreamQueueGauge(redis_url, STREAM, GROUP).depth() == 0


async def test_the_queue_depth_counts_waiting_and_unacknowledged_messages(
    redis_client: Redis, redis_url: str
) -> None:
    gauge = RedisStreamQueueGauge(redis_url, STREAM, GROUP)
    for number in range(5):
        await redis_client.xadd(STREAM, {"data": str(number)})
    assert await gauge.depth() == 5  # no worker has joined: the whole stream waits

    await redis_client.xgroup_create(STREAM, GROUP, id="0")
    delivered = await redis_client.xreadgroup(GROUP, "worker-1", {STREAM: ">"}, count=2)
    message_ids = [message_id for message_id, _ in delivered[0][1]]
    assert await gauge.depth() == 5  # three waiting, two taken and not yet acknowledged

    await redis_client.xack(STREAM, GROUP, *message_ids)
    assert await gauge.depth() == 3


async def test_an_unreachable_redis_gives_an_unknown_depth() -> None:
    gauge = RedisStreamQueueGauge("redis://127.0.0.1:1/0", STREAM, GROUP)

    assert await gauge.depth() is None
