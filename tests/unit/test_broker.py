"""The task broker in its embedded form: tasks kicked and awaited in process, the container
reaching into tasks, schedules kicking tasks, and the broker's part in readiness."""

import asyncio
import contextlib
import logging
import re

import pytest
from litestar.testing import AsyncTestClient
from taskiq import InMemoryBroker
from taskiq_redis import RedisAsyncResultBackend, RedisStreamBroker

from adapters.redis.probe import RedisBrokerProbe
from adapters.taskiq.probe import TaskiqInProcessBrokerProbe
from application.housing.commands import CreateBuildingCommand
from application.housing.views import BuildingFilter
from application.shared.paging import PageRequest
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from entrypoints.worker.broker import QUEUE_NAME, create_broker
from entrypoints.worker.scheduler import (
    create_scheduler,
    declared_schedules,
    log_schedules,
    run_scheduler,
)
from entrypoints.worker.tasks import ContainerDep, prepare_broker

RESULT_TIMEOUT_SECONDS = 10


def test_without_redis_the_broker_is_in_process(settings: Settings) -> None:
    assert isinstance(create_broker(settings), InMemoryBroker)


def test_with_redis_the_broker_is_an_acknowledged_stream(settings: Settings) -> None:
    redis_settings = load_settings(
        {"VAR_DIR": str(settings.var_dir), "REDIS_URL": "redis://127.0.0.1:6379/0"}, dotenv=None
    )

    broker = create_broker(redis_settings)  # builds a connection pool; connects on first use

    assert isinstance(broker, RedisStreamBroker)
    assert broker.queue_name == QUEUE_NAME
    assert isinstance(broker.result_backend, RedisAsyncResultBackend)


async def test_a_registered_task_is_kicked_and_its_result_awaited(settings: Settings) -> None:
    broker = create_broker(settings)

    @broker.task(task_name="tests.add")
    async def add(a: int, b: int) -> int:
        return a + b

    await broker.startup()
    try:
        task = await add.kiq(2, 3)
        result = await task.wait_result(timeout=RESULT_TIMEOUT_SECONDS)
    finally:
        await broker.shutdown()

    assert not result.is_err
    assert result.return_value == 5


async def test_every_process_knows_the_system_tasks(container: Container) -> None:
    broker = prepare_broker(container)
    await broker.startup()
    try:
        ping = broker.find_task("system.ping")
        assert ping is not None
        result = await (await ping.kiq()).wait_result(timeout=RESULT_TIMEOUT_SECONDS)
    finally:
        await broker.shutdown()

    assert result.return_value == "pong"


def test_task_names_are_context_dot_verb(container: Container) -> None:
    names = prepare_broker(container).get_all_tasks()

    assert names
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", name) for name in names)


def test_preparing_the_broker_twice_registers_nothing_twice(container: Container) -> None:
    first = prepare_broker(container)
    tasks = dict(first.get_all_tasks())

    assert prepare_broker(container) is first
    assert first.get_all_tasks() == tasks


async def test_a_task_reaches_the_use_cases_through_the_container(container: Container) -> None:
    await container.housing.create_building()(
        CreateBuildingCommand(code="NH", name="North Hall", address="1 College Road", floors=5)
    )
    broker = prepare_broker(container)

    @broker.task(task_name="tests.count_buildings")
    async def count_buildings(container: ContainerDep) -> int:
        page = await container.housing.list_buildings()(BuildingFilter(), PageRequest())
        return page.total

    await broker.startup()
    try:
        task = await count_buildings.kiq()
        result = await task.wait_result(timeout=RESULT_TIMEOUT_SECONDS)
    finally:
        await broker.shutdown()

    assert not result.is_err, result.error
    assert result.return_value == 1


async def test_a_scheduled_task_is_kicked_by_the_scheduler(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="entrypoints.worker.scheduler")
    broker = create_broker(settings)
    ran = asyncio.Event()

    @broker.task(task_name="tests.tick", schedule=[{"interval": 1, "schedule_id": "tests.tick"}])
    async def tick() -> None:
        ran.set()

    await broker.startup()
    scheduler = asyncio.create_task(run_scheduler(create_scheduler(broker)))
    try:
        await asyncio.wait_for(ran.wait(), RESULT_TIMEOUT_SECONDS)
    finally:
        scheduler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await scheduler
        await broker.shutdown()

    assert [name for name, _ in declared_schedules(broker)] == ["tests.tick"]
    assert "scheduling tests.tick: interval 1" in caplog.text


def test_without_schedules_the_scheduler_says_so(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="entrypoints.worker.scheduler")
    broker = create_broker(settings)  # no task declared on it

    log_schedules(broker)

    assert declared_schedules(broker) == []
    assert "no task declares a schedule yet" in caplog.text


async def test_the_in_process_broker_is_ready_between_startup_and_shutdown(
    settings: Settings,
) -> None:
    broker = create_broker(settings)
    probe = TaskiqInProcessBrokerProbe(broker)

    with pytest.raises(ConnectionError, match="not started"):
        await probe.check()
    await broker.startup()
    await probe.check()
    await broker.shutdown()
    with pytest.raises(ConnectionError, match="not started"):
        await probe.check()


async def test_the_app_runs_the_broker_while_it_serves(container: Container) -> None:
    probe = TaskiqInProcessBrokerProbe(container.broker())

    async with AsyncTestClient(app=create_app(container)):
        await probe.check()

    with pytest.raises(ConnectionError):
        await probe.check()


def test_readiness_asks_the_database_and_the_broker_the_configuration_names(
    settings: Settings,
) -> None:
    embedded = Container(settings=settings)
    with_redis = Container(
        settings=load_settings(
            {"VAR_DIR": str(settings.var_dir), "REDIS_URL": "redis://127.0.0.1:6379/0"},
            dotenv=None,
        )
    )

    assert [probe.name for probe in embedded.probes()] == ["database", "broker"]
    assert isinstance(embedded.broker_probe(), TaskiqInProcessBrokerProbe)
    assert isinstance(with_redis.broker_probe(), RedisBrokerProbe)
