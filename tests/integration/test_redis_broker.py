"""The production task broker on a real Redis: a worker receives what another process kicked,
`residence worker` and `residence scheduler` run and stop cleanly, and readiness sees Redis."""

import asyncio
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from taskiq import AsyncBroker

from adapters.redis.probe import RedisBrokerProbe
from entrypoints.container import Container
from entrypoints.settings import load_settings
from entrypoints.worker.broker import QUEUE_NAME
from entrypoints.worker.receiver import run_worker
from entrypoints.worker.tasks import ContainerDep, prepare_broker, start_client_broker
from tests.integration.residence_process import free_port, residence

# A worker in another process needs a cold interpreter's start-up time before it answers.
RESULT_TIMEOUT_SECONDS = 60
# Production processes refuse to start without a signing key.
SECRET_KEY = "integration-tests-signing-key-0123456789"


def _container(redis_url: str, tmp_path: Path) -> Container:
    return Container(
        settings=load_settings(
            {"REDIS_URL": redis_url, "VAR_DIR": str(tmp_path / "var")}, dotenv=None
        )
    )


def _register_where_am_i(broker: AsyncBroker) -> None:
    @broker.task(task_name="tests.where_am_i")
    async def where_am_i(container: ContainerDep) -> str:
        return container.settings().task_broker


@pytest.fixture
async def api_broker(
    redis_client: Redis, redis_url: str, tmp_path: Path
) -> AsyncIterator[AsyncBroker]:
    """The broker as an API process holds it: it only kicks."""
    container = _container(redis_url, tmp_path)
    broker = prepare_broker(container)
    _register_where_am_i(broker)
    await start_client_broker(container)
    yield broker
    await broker.shutdown()
    await container.engine().dispose()


async def test_a_worker_runs_what_another_process_kicked(
    api_broker: AsyncBroker, redis_url: str, redis_client: Redis, tmp_path: Path
) -> None:
    # Kicked before any worker exists: the message must wait in the stream, not be lost.
    ping = api_broker.find_task("system.ping")
    where = api_broker.find_task("tests.where_am_i")
    assert ping is not None
    assert where is not None
    pinged = await ping.kiq()
    asked = await where.kiq()
    assert await redis_client.xlen(QUEUE_NAME) == 2

    worker_container = _container(redis_url, tmp_path)
    worker_broker = prepare_broker(worker_container)
    _register_where_am_i(worker_broker)
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(worker_broker, concurrency=2, stop=stop))
    try:
        pong = await pinged.wait_result(timeout=RESULT_TIMEOUT_SECONDS)
        answer = await asked.wait_result(timeout=RESULT_TIMEOUT_SECONDS)
    finally:
        stop.set()
        await asyncio.wait_for(worker, RESULT_TIMEOUT_SECONDS)
        await worker_container.engine().dispose()

    assert (pong.is_err, pong.return_value) == (False, "pong")
    assert (answer.is_err, answer.return_value) == (False, "redis")
    # Acknowledged: nothing is left pending for the consumer group to redeliver.
    pending = await redis_client.xpending(QUEUE_NAME, "residence-workers")
    assert pending["pending"] == 0


async def test_residence_worker_consumes_the_queue_and_stops_on_sigterm(
    api_broker: AsyncBroker, redis_url: str, tmp_path: Path
) -> None:
    ping = api_broker.find_task("system.ping")
    assert ping is not None

    with residence(
        ["worker", "--concurrency", "2"], tmp_path, REDIS_URL=redis_url, SECRET_KEY=SECRET_KEY
    ) as worker:
        pinged = await ping.kiq()
        result = await pinged.wait_result(timeout=RESULT_TIMEOUT_SECONDS)
        assert result.return_value == "pong", worker.transcript()
        code = await asyncio.to_thread(worker.stop, signal.SIGTERM)

    assert code == 0, worker.transcript()
    assert "worker stopped" in worker.transcript()


async def test_residence_scheduler_runs_and_stops_on_sigint(
    redis_client: Redis, redis_url: str, tmp_path: Path
) -> None:
    with residence(
        ["scheduler"], tmp_path, REDIS_URL=redis_url, SECRET_KEY=SECRET_KEY
    ) as scheduler:
        await asyncio.to_thread(
            scheduler.wait_for_output, "scheduling notifications.relay: cron * * * * *"
        )
        code = await asyncio.to_thread(scheduler.stop, signal.SIGINT)

    assert code == 0, scheduler.transcript()
    assert "Traceback" not in scheduler.transcript()


async def test_the_redis_probe_is_up_when_redis_answers(redis_url: str) -> None:
    await RedisBrokerProbe(redis_url).check()


async def test_the_redis_probe_is_down_on_a_dead_port() -> None:
    dead = f"redis://127.0.0.1:{free_port()}/0"

    with pytest.raises(RedisConnectionError):
        await RedisBrokerProbe(dead).check()


async def test_readiness_names_the_broker_when_redis_is_down(tmp_path: Path) -> None:
    container = _container(f"redis://127.0.0.1:{free_port()}/0", tmp_path)
    (tmp_path / "var").mkdir()
    try:
        report = await container.system.check_readiness()()
    finally:
        await container.engine().dispose()

    assert not report.ready
    assert {c.name: c.ok for c in report.components} == {"database": True, "broker": False}
    broker = next(c for c in report.components if c.name == "broker")
    assert broker.detail is not None
    assert "Connect" in broker.detail or "refused" in broker.detail


async def test_readiness_is_green_with_a_live_redis(redis_url: str, tmp_path: Path) -> None:
    container = _container(redis_url, tmp_path)
    (tmp_path / "var").mkdir()
    try:
        report = await container.system.check_readiness()()
    finally:
        await container.engine().dispose()

    assert report.ready, report
