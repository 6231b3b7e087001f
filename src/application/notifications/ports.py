"""Delivery ports of the notifications context. Adapters never raise for a message that could
not be delivered: they report it in a DeliveryOutcome, so one bad address cannot fail a batch."""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID

import msgspec

from application.shared.ports import UnitOfWork
from domain.notifications.model import Notification


class OutgoingEmail(msgspec.Struct, frozen=True, kw_only=True):
    # Stable per notification: a retried send carries the same Message-ID, so mail systems
    # and people can recognise a duplicate.
    message_id: str
    to: str
    to_name: str | None = None
    subject: str
    text: str
    html: str | None = None


class OutgoingSms(msgspec.Struct, frozen=True, kw_only=True):
    message_id: str
    to: str  # E.164
    text: str


class DeliveryOutcome(msgspec.Struct, frozen=True, kw_only=True):
    message_id: str
    error: str | None = None  # None: the server or gateway accepted the message

    @property
    def delivered(self) -> bool:
        return self.error is None


class Mailer(Protocol):
    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        """Sends a batch over one connection; one outcome per message, in order."""
        ...


class SmsSender(Protocol):
    async def send(self, message: OutgoingSms) -> DeliveryOutcome: ...


class NotificationOutbox(Protocol):
    """The notifications table, inside a unit of work: a use case adds its notifications in the
    transaction of its own change, so they exist exactly when that change does. The relay
    claims, and records the outcome of, what is due."""

    async def add(self, notification: Notification) -> None: ...
    async def get(self, notification_id: UUID) -> Notification | None: ...

    async def release_expired_leases(self, now: datetime, max_attempts: int) -> int:
        """Applies `release_lease` to every `sending` notification whose lease ended at or
        before `now`: queued again, or failed for good after `max_attempts`. Returns how many."""
        ...

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[Notification]:
        """Applies `claim` to at most `limit` due notifications, the longest due first, and
        returns them claimed. Atomic: of two callers at the same time, each notification goes
        to one only."""
        ...

    async def record(self, notification: Notification, claimed_until: datetime) -> bool:
        """Stores the state of a notification the caller claimed with the lease
        `claimed_until`. False, and nothing stored, when that claim is no longer held (the lease
        ran out and the notification was released or claimed again)."""
        ...


class NotificationsUnitOfWork(UnitOfWork, Protocol):
    @property
    def outbox(self) -> NotificationOutbox: ...


NotificationsUnitOfWorkFactory = Callable[[], NotificationsUnitOfWork]
