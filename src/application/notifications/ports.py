"""Delivery ports of the notifications context. Adapters never raise for a message that could
not be delivered: they report it in a DeliveryOutcome, so one bad address cannot fail a batch."""

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

import msgspec

from application.notifications.views import AnnouncementPage, AnnouncementView
from application.shared.paging import PageRequest
from application.shared.ports import UnitOfWork
from domain.notifications.announcements import Announcement, Audience, ContactDetails
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
    async def add_all(self, notifications: Sequence[Notification]) -> None: ...
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


class AnnouncementRepository(Protocol):
    async def add(self, announcement: Announcement) -> None: ...
    async def get(self, announcement_id: UUID) -> Announcement | None: ...

    async def save_progress(self, announcement: Announcement, previous_cursor: UUID | None) -> bool:
        """Stores the announcement's progress (cursor, counts, state) only if the stored one is
        still fanning out from `previous_cursor`. False, and nothing stored, when another
        fan-out moved it meanwhile: the caller's batch is then already covered."""
        ...

    async def unfinished(self, limit: int) -> list[UUID]:
        """Announcements still fanning out, the oldest first."""
        ...


class AnnouncementsUnitOfWork(NotificationsUnitOfWork, Protocol):
    @property
    def announcements(self) -> AnnouncementRepository: ...


AnnouncementsUnitOfWorkFactory = Callable[[], AnnouncementsUnitOfWork]


class AudienceDirectory(Protocol):
    """Who an audience is, read from the housing and bookings records. Residents live in a
    building on day `on` when their booking of a bed there is checked in, or confirmed for a
    stay that includes that day."""

    async def members(
        self, audience: Audience, on: date, after: UUID | None, limit: int
    ) -> list[ContactDetails]:
        """At most `limit` members with an id greater than `after`, in id order."""
        ...

    async def count(self, audience: Audience, on: date) -> int: ...

    async def building_floors(self, building_id: UUID) -> int | None:
        """The building's floor count; None when there is no such building."""
        ...

    async def unknown_residents(self, resident_ids: Sequence[UUID]) -> list[UUID]:
        """Those of `resident_ids` that name no resident, in the order given."""
        ...


class AnnouncementQueries(Protocol):
    async def announcement(self, announcement_id: UUID) -> AnnouncementView | None: ...
    async def announcements(self, page: PageRequest) -> AnnouncementPage: ...
