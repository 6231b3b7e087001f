"""The event bus on a real Redis: what one process publishes reaches the channels plugin of
every API process, a dropped subscriber connection heals, and a missing Redis fails no one."""

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from uuid import uuid4

import msgspec
import pytest
from litestar.channels import ChannelsPlugin, Subscriber
from redis.asyncio import Redis

from adapters.channels.event_bus import ChannelsEventBus
from adapters.channels.redis_pubsub import redis_channels_backend
from entrypoints.http.event_stream import channels_plugin
from tests.integration.residence_process import free_port

DEADLINE_SECONDS = 15.0


async def wait_until_subscribed(redis: Redis, topic: str, listeners: int) -> None:
    """Until Redis counts `listeners` subscriptions to `topic`; each poll is a round trip."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        [(_, count)] = await redis.pubsub_numsub(topic)
        if count >= listeners:
            return
    raise AssertionError(f"{topic} has fewer than {listeners} subscribers")


async def next_event(subscriber: Subscriber) -> dict[str, object]:
    event = await asyncio.wait_for(anext(subscriber.iter_events()), DEADLINE_SECONDS)
    decoded: dict[str, object] = msgspec.json.decode(event)
    return decoded


@pytest.fixture
async def api_processes(redis_url: str) -> AsyncIterator[list[ChannelsPlugin]]:
    """The channels plugins of two API processes, each with a Redis connection of its own."""
    async with AsyncExitStack() as stack:
        plugins = [channels_plugin(redis_channels_backend(redis_url)) for _ in range(2)]
        for plugin in plugins:
            await stack.enter_async_context(plugin)
        yield plugins


async def test_what_a_worker_publishes_reaches_every_api_process(
    api_processes: list[ChannelsPlugin], redis_url: str, redis_client: Redis
) -> None:
    topic = f"jobs.{uuid4()}"
    subscribers = [await plugin.subscribe(topic) for plugin in api_processes]
    await wait_until_subscribed(redis_client, topic, listeners=2)
    worker_backend = redis_channels_backend(redis_url)  # the worker has no app, only a bus
    try:
        await ChannelsEventBus(worker_backend).publish(topic, {"type": "job", "progress": 40})
    finally:
        await worker_backend.on_shutdown()

    received = [await next_event(subscriber) for subscriber in subscribers]

    assert received == [{"type": "job", "progress": 40}] * 2


async def test_the_stream_listens_again_after_redis_drops_its_connection(
    api_processes: list[ChannelsPlugin], redis_url: str, redis_client: Redis
) -> None:
    topic = f"staff.{uuid4().hex}"
    subscriber = await api_processes[0].subscribe(topic)
    await wait_until_subscribed(redis_client, topic, listeners=1)

    killed = await redis_client.client_kill_filter(_type="pubsub")
    assert killed >= 1
    await wait_until_subscribed(redis_client, topic, listeners=1)
    worker_backend = redis_channels_backend(redis_url)
    try:
        await ChannelsEventBus(worker_backend).publish(topic, {"type": "after"})
    finally:
        await worker_backend.on_shutdown()

    assert await next_event(subscriber) == {"type": "after"}


async def test_publishing_without_redis_logs_and_fails_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = redis_channels_backend(f"redis://127.0.0.1:{free_port()}/0")

    with caplog.at_level(logging.WARNING, logger="adapters.channels.event_bus"):
        await ChannelsEventBus(backend).publish("jobs.x", {"type": "job"})
    await backend.on_shutdown()

    assert "event on jobs.x not published" in caplog.text
