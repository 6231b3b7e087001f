"""The notifications outbox on each backend, and sample notifications for the tests."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationsUnitOfWork
from application.accounts.ports import AccountsUnitOfWorkFactory
from application.notifications.ports import NotificationsUnitOfWorkFactory
from domain.notifications.model import Channel, Notification
from tests.fakes import (
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryNotificationStore,
    InMemoryNotificationsUnitOfWork,
)
from tests.integration.housing_backends import engine_for

# Microseconds on purpose: both engines keep them, and a lease compared for equality needs them.
NOW = datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class OutboxBackend:
    name: str
    uow: NotificationsUnitOfWorkFactory
    # The accounts unit of work, whose outbox writes in the accounts transaction.
    accounts_uow: AccountsUnitOfWorkFactory


def memory_outbox() -> OutboxBackend:
    notifications = InMemoryNotificationStore()
    accounts = InMemoryAccountsStore(notifications=notifications)
    return OutboxBackend(
        name="memory",
        uow=lambda: InMemoryNotificationsUnitOfWork(notifications),
        accounts_uow=lambda: InMemoryAccountsUnitOfWork(accounts),
    )


def sql_outbox(name: str, engine: AsyncEngine) -> OutboxBackend:
    return OutboxBackend(
        name=name,
        uow=lambda: SqlAlchemyNotificationsUnitOfWork(engine),
        accounts_uow=lambda: SqlAlchemyAccountsUnitOfWork(engine),
    )


def outbox_backend(request: pytest.FixtureRequest) -> OutboxBackend:
    """For a fixture parametrised with housing_backends.ALL_BACKENDS."""
    if request.param == "memory":
        return memory_outbox()
    return sql_outbox(request.param, engine_for(request, request.param))


def a_notification(address: str = "ada@example.edu", **changes: Any) -> Notification:
    values: dict[str, Any] = {
        "kind": "announcement",
        "channel": Channel.EMAIL,
        "recipient_address": address,
        "recipient_name": "Ada Okafor",
        "data": {"title": "Fire drill", "body": "Tuesday at ten. Ünïcödé & <html>"},
        "next_attempt_at": NOW,
        "source": "announcement:42",
    }
    return Notification(**(values | changes))


async def queued(backend: OutboxBackend, *notifications: Notification) -> None:
    async with backend.uow() as uow:
        for notification in notifications:
            await uow.outbox.add(notification)
        await uow.commit()


async def read(backend: OutboxBackend, notification: Notification) -> Notification | None:
    async with backend.uow() as uow:
        return await uow.outbox.get(notification.id)
