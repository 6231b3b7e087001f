"""The relay wired to in-memory fakes, with shortcuts for queueing and reading notifications."""

from datetime import timedelta
from typing import Any
from uuid import UUID

from application.notifications.ports import NotificationsUnitOfWork
from application.notifications.relay import RelayNotifications
from domain.notifications.model import Channel, Notification
from domain.notifications.rules import RetryPolicy
from tests.fakes import (
    FixedClock,
    InMemoryNotificationStore,
    InMemoryNotificationsUnitOfWork,
    RecordingMailer,
    RecordingSmsSender,
)

POLICY = RetryPolicy(
    first_delay=timedelta(minutes=1),
    multiplier=2,
    max_delay=timedelta(minutes=10),
    max_attempts=3,
    lease=timedelta(minutes=5),
)
ANNOUNCEMENT = {"title": "Fire drill", "body": "Tuesday at ten."}


class Outbox:
    def __init__(self, batch_size: int = 100) -> None:
        self.clock = FixedClock()
        self.store = InMemoryNotificationStore()
        self.mailer = RecordingMailer()
        self.sms = RecordingSmsSender()
        self.relay = self.relay_with(self.mailer, batch_size)

    def uow(self) -> NotificationsUnitOfWork:
        return InMemoryNotificationsUnitOfWork(self.store)

    def relay_with(self, mailer: RecordingMailer, batch_size: int = 100) -> RelayNotifications:
        """Another relay on the same outbox, as a second worker would run it."""
        return RelayNotifications(self.uow, mailer, self.sms, self.clock, POLICY, batch_size)

    async def queue(self, *notifications: Notification) -> list[Notification]:
        async with self.uow() as uow:
            for notification in notifications:
                await uow.outbox.add(notification)
            await uow.commit()
        return list(notifications)

    async def emails(self, *addresses: str) -> list[Notification]:
        return await self.queue(*(self.email(address) for address in addresses))

    def email(self, address: str, **changes: Any) -> Notification:
        values: dict[str, Any] = {
            "kind": "announcement",
            "channel": Channel.EMAIL,
            "recipient_address": address,
            "recipient_name": None,
            "data": ANNOUNCEMENT,
            "next_attempt_at": self.clock.now(),
        }
        return Notification(**(values | changes))

    def sms_to(self, number: str) -> Notification:
        return self.email(number, channel=Channel.SMS)

    def stored(self, notification_id: UUID) -> Notification:
        return self.store.rows[notification_id]

    def advance(self, **delta: float) -> None:
        self.clock.advance(timedelta(**delta))
