"""The worker loop: receives tasks from the shared broker until told to stop."""

import asyncio
import contextlib
import logging
from concurrent.futures import ThreadPoolExecutor

from redis.exceptions import RedisError
from taskiq import AsyncBroker
from taskiq.receiver import Receiver

logger = logging.getLogger(__name__)

# On shutdown the worker stops taking messages and gives running tasks this long to finish.
# Anything still running after that is abandoned unacknowledged, and the broker redelivers it.
SHUTDOWN_GRACE_SECONDS = 30.0
# A worker that loses Redis keeps retrying rather than exiting, so a Redis restart does not need
# every worker restarted after it.
RECONNECT_DELAY_SECONDS = 5.0


async def _pause(stop: asyncio.Event) -> None:
    """Waits before the next attempt, but not past a request to stop."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), RECONNECT_DELAY_SECONDS)


async def _receive(
    broker: AsyncBroker, executor: ThreadPoolExecutor, concurrency: int, stop: asyncio.Event
) -> None:
    await broker.startup()
    receiver = Receiver(
        broker=broker,
        executor=executor,
        run_startup=False,
        max_async_tasks=concurrency,
        wait_tasks_timeout=SHUTDOWN_GRACE_SECONDS,
    )
    await receiver.listen(stop)


async def run_worker(broker: AsyncBroker, *, concurrency: int, stop: asyncio.Event) -> None:
    """Runs up to `concurrency` tasks at a time until `stop` is set, then drains and returns."""
    broker.is_worker_process = True
    logger.info(
        "worker consuming %s, up to %d at a time",
        ", ".join(sorted(broker.get_all_tasks())),
        concurrency,
    )
    # Tasks are async; the pool only serves a sync task if one is ever declared.
    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        try:
            while not stop.is_set():
                try:
                    await _receive(broker, executor, concurrency, stop)
                except (RedisError, OSError) as error:
                    logger.error("task broker unreachable (%s); retrying", error)
                    await _pause(stop)
                except Exception:  # whatever else broke the loop, a fresh start may cure
                    logger.exception("the worker loop failed; restarting it")
                    await _pause(stop)
        finally:
            await broker.shutdown()
    logger.info("worker stopped")
