"""The relay as a task: declared on every broker, scheduled every minute, and kicked by name
after a use case commits."""

import pytest
from dependency_injector import providers
from taskiq.exceptions import SendTaskError

from adapters.taskiq.background import TaskiqBackgroundTasks
from application.accounts.commands import CreateUserCommand
from application.notifications.notifier import RELAY_TASK
from domain.accounts.model import Role
from entrypoints.container import Container
from entrypoints.settings import Settings
from entrypoints.worker.broker import create_broker
from entrypoints.worker.scheduler import declared_schedules
from entrypoints.worker.tasks import prepare_broker
from tests.fakes import RecordingMailer
from tests.unit.accounts.kit import PASSWORD


def test_the_relay_is_a_task_scheduled_every_minute(container: Container) -> None:
    broker = prepare_broker(container)

    assert broker.find_task(RELAY_TASK) is not None
    assert (RELAY_TASK, {"cron": "* * * * *", "schedule_id": RELAY_TASK}) in declared_schedules(
        broker
    )


async def test_a_new_account_is_mailed_through_the_kicked_relay(container: Container) -> None:
    mailer = RecordingMailer()
    container.mailer.override(providers.Object(mailer))
    container.background_tasks.reset_override()  # the real adapter, on the in-process broker
    broker = prepare_broker(container)
    await broker.startup()
    try:
        command = CreateUserCommand(email="ada@example.edu", password=PASSWORD, role=Role.STAFF)
        await container.accounts.create_user()(command)
        await broker.wait_all()  # type: ignore[attr-defined]
    finally:
        await broker.shutdown()

    assert [(m.to, m.subject) for m in mailer.sent] == [
        ("ada@example.edu", "Your Campus Residence account")
    ]
    assert "http://localhost:8000" in mailer.sent[0].text


async def test_tasks_are_kicked_by_name_with_their_arguments(settings: Settings) -> None:
    broker = create_broker(settings)
    received: list[int] = []

    @broker.task(task_name="tests.remember")
    async def remember(number: int) -> None:
        received.append(number)

    await broker.startup()
    try:
        await TaskiqBackgroundTasks(broker).enqueue("tests.remember", number=42)
        await broker.wait_all()  # type: ignore[attr-defined]
    finally:
        await broker.shutdown()

    assert received == [42]


async def test_an_in_process_broker_that_was_never_started_kicks_nothing(
    settings: Settings,
) -> None:
    # A one-shot command's broker: a task started there would die with the command.
    broker = create_broker(settings)
    received: list[int] = []

    @broker.task(task_name="tests.remember")
    async def remember(number: int) -> None:
        received.append(number)

    await TaskiqBackgroundTasks(broker).enqueue("tests.remember", number=42)
    await broker.wait_all()  # type: ignore[attr-defined]

    assert received == []


async def test_an_unknown_task_is_an_error_the_caller_sees(settings: Settings) -> None:
    broker = create_broker(settings)
    await broker.startup()
    try:
        with pytest.raises(SendTaskError):
            await TaskiqBackgroundTasks(broker).enqueue("tests.nothing")
    finally:
        await broker.shutdown()
