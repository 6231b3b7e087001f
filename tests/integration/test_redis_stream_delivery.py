"""How workers take messages from the Redis stream: one at a time, a dead worker's message is
reclaimed on a quiet queue, and a task that runs longer than the idle timeout is not handed to a
second worker while its own worker is alive."""

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from taskiq import AckableMessage
from taskiq.message import BrokerMessage

from adapters.taskiq.redis_stream import ReclaimingRedisStreamBroker

STREAM = "tests:delivery:tasks"
GROUP = "tests-workers"
IDLE_TIMEOUT_MS = 600
DEADLINE_SECONDS = 10.0


def a_broker(redis_url: str, consumer: str) -> ReclaimingRedisStreamBroker:
    return ReclaimingRedisStreamBroker(
        redis_url,
        queue_name=STREAM,
        consumer_group_name=GROUP,
        consumer_name=consumer,
        consumer_id="0",
        idle_timeout=IDLE_TIMEOUT_MS,
        xread_block=100,
    )


@pytest.fixture
async def brokers(
    redis_client: Redis, redis_url: str
) -> AsyncIterator[list[ReclaimingRedisStreamBroker]]:
    started: list[ReclaimingRedisStreamBroker] = []
    for consumer in ("worker-a", "worker-b"):
        broker = a_broker(redis_url, consumer)
        await broker.startup()
        started.append(broker)
    yield started
    for broker in started:
        await broker.shutdown()


async def kick(broker: ReclaimingRedisStreamBroker, text: str) -> None:
    await broker.kick(BrokerMessage(task_id=text, task_name="t", message=text.encode(), labels={}))


async def next_message(listener: AsyncIterator[AckableMessage]) -> AckableMessage:
    return await asyncio.wait_for(anext(listener), DEADLINE_SECONDS)


async def test_a_worker_takes_one_message_at_a_time(
    brokers: list[ReclaimingRedisStreamBroker], redis_client: Redis
) -> None:
    worker_a = brokers[0]
    for text in ("one", "two", "three"):
        await kick(worker_a, text)

    first = await next_message(worker_a.listen())

    assert first.data == b"one"
    pending = await redis_client.xpending(STREAM, GROUP)
    assert pending["pending"] == 1  # the other two still wait for whichever worker is free


async def test_a_dead_workers_message_is_reclaimed_on_a_quiet_queue(
    brokers: list[ReclaimingRedisStreamBroker], redis_client: Redis
) -> None:
    await kick(brokers[0], "orphan")
    # A worker takes the message and dies before acknowledging it (no renewal runs).
    await redis_client.xreadgroup(GROUP, "dead-worker", {STREAM: ">"}, count=1)

    # No new message ever arrives; the idle one must still come back.
    reclaimed = await next_message(brokers[1].listen())

    assert reclaimed.data == b"orphan"
    await reclaimed.ack()  # type: ignore[misc]
    assert (await redis_client.xpending(STREAM, GROUP))["pending"] == 0


async def test_a_long_task_stays_with_its_live_worker(
    brokers: list[ReclaimingRedisStreamBroker], redis_client: Redis
) -> None:
    worker_a, worker_b = brokers
    await kick(worker_a, "slow")
    taken = await next_message(worker_a.listen())
    listener_b = worker_b.listen()

    # Worker b looks for abandoned messages for five idle timeouts while a still runs the task.
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(listener_b), 5 * IDLE_TIMEOUT_MS / 1000)

    await taken.ack()  # type: ignore[misc]
    assert (await redis_client.xpending(STREAM, GROUP))["pending"] == 0
