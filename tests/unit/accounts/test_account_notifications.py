"""CreateUser and ResetPassword tell the account's owner by email, through the outbox: the
notification is committed with the change or not at all, and delivery is asked for after it."""

import logging
from uuid import uuid4

import pytest

from application.accounts.commands import CreateUserCommand, ResetPasswordCommand
from application.accounts.users import CreateUser, ResetPassword
from application.notifications.notifier import RELAY_TASK
from application.notifications.templates import render
from domain.accounts.model import Role
from domain.notifications.model import Channel, DeliveryState, Notification
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.fakes import InMemoryAccountsUnitOfWork
from tests.unit.accounts.kit import LOGIN_URL, PASSWORD, Accounts

NEW_PASSWORD = "copper lantern meadow 7"


def queued(accounts: Accounts) -> list[Notification]:
    return accounts.store.notifications.all()


class CommitFails(InMemoryAccountsUnitOfWork):
    async def commit(self) -> None:
        raise ConnectionError("the database went away")


async def test_a_new_account_queues_one_email_telling_where_to_sign_in(
    accounts: Accounts,
) -> None:
    user = await accounts.user(email="Warden@Example.edu", role=Role.TECHNICIAN)

    [notification] = queued(accounts)
    assert notification.kind == "account_created"
    assert notification.channel is Channel.EMAIL
    assert notification.recipient_address == "warden@example.edu"
    assert notification.source == f"user:{user.id}"
    assert notification.data == {
        "email": "warden@example.edu",
        "role": "technician",
        "login_url": LOGIN_URL,
    }
    assert (notification.state, notification.next_attempt_at) == (
        DeliveryState.QUEUED,
        accounts.clock.now(),
    )


async def test_the_account_email_never_carries_the_password(accounts: Accounts) -> None:
    await accounts.user()

    [notification] = queued(accounts)
    message = render(notification.kind, notification.data)
    for text in (*notification.data.values(), message.subject, message.text, message.html):
        assert PASSWORD not in text
        assert "plain$" not in text  # nor its hash


async def test_delivery_is_asked_for_once_the_notification_is_committed(
    accounts: Accounts,
) -> None:
    await accounts.user()

    assert accounts.background_tasks.names == [RELAY_TASK]
    # How many notifications were committed when the relay was asked for: the new one.
    assert accounts.background_tasks.observed == [1]


async def test_a_refused_account_queues_nothing(accounts: Accounts) -> None:
    await accounts.user(email="warden@example.edu")

    with pytest.raises(Conflict):
        await accounts.user(email="WARDEN@example.edu")
    with pytest.raises(InvalidValue):
        await accounts.user(email="other@example.edu", password="short")

    assert len(queued(accounts)) == 1
    assert accounts.background_tasks.names == [RELAY_TASK]


async def test_an_account_whose_commit_fails_leaves_no_notification(accounts: Accounts) -> None:
    create_user = CreateUser(
        lambda: CommitFails(accounts.store),
        accounts.hasher,
        accounts.queries,
        accounts.housing.queries,
        accounts.notifier,
    )
    command = CreateUserCommand(email="warden@example.edu", password=PASSWORD, role=Role.STAFF)

    with pytest.raises(ConnectionError):
        await create_user(command)

    assert accounts.store.tables.users == {}
    assert queued(accounts) == []
    assert accounts.background_tasks.enqueued == []


async def test_an_unreachable_broker_does_not_undo_the_account(
    accounts: Accounts, caplog: pytest.LogCaptureFixture
) -> None:
    async def broker_down(task_name: str, **arguments: object) -> None:
        raise ConnectionError("Redis is down")

    accounts.background_tasks.enqueue = broker_down  # type: ignore[method-assign]

    user = await accounts.user()

    assert accounts.stored(user.id).email == "warden@example.edu"
    assert len(queued(accounts)) == 1  # the scheduled relay still delivers it
    assert "the scheduled relay will deliver" in caplog.text
    assert any(record.levelno == logging.WARNING for record in caplog.records)


async def test_a_password_reset_queues_one_email_to_the_account(accounts: Accounts) -> None:
    user = await accounts.user()

    await accounts.reset_password(user.id, ResetPasswordCommand(password=NEW_PASSWORD))

    by_kind = {n.kind: n for n in queued(accounts)}
    assert sorted(by_kind) == ["account_created", "password_reset"]
    reset = by_kind["password_reset"]
    assert reset.recipient_address == "warden@example.edu"
    assert reset.source == f"user:{user.id}"
    assert reset.data == {
        "email": "warden@example.edu",
        "reset_at": "01 September 2026 at 09:00 UTC",
        "login_url": LOGIN_URL,
    }
    assert NEW_PASSWORD not in render(reset.kind, reset.data).text
    assert accounts.background_tasks.names == [RELAY_TASK, RELAY_TASK]
    assert accounts.background_tasks.observed == [1, 2]


async def test_a_refused_reset_queues_nothing(accounts: Accounts) -> None:
    user = await accounts.user()

    with pytest.raises(InvalidValue):
        await accounts.reset_password(user.id, ResetPasswordCommand(password="short"))
    with pytest.raises(NotFound):
        await accounts.reset_password(uuid4(), ResetPasswordCommand(password=NEW_PASSWORD))

    assert [n.kind for n in queued(accounts)] == ["account_created"]
    assert accounts.background_tasks.names == [RELAY_TASK]


async def test_a_reset_whose_commit_fails_leaves_no_notification(accounts: Accounts) -> None:
    user = await accounts.user()
    reset_password = ResetPassword(
        lambda: CommitFails(accounts.store), accounts.hasher, accounts.clock, accounts.notifier
    )

    with pytest.raises(ConnectionError):
        await reset_password(user.id, ResetPasswordCommand(password=NEW_PASSWORD))

    assert [n.kind for n in queued(accounts)] == ["account_created"]
    assert accounts.background_tasks.names == [RELAY_TASK]
