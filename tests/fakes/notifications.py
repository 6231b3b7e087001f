"""Fakes of the notifications ports: the outbox in memory, and senders that record."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Self
from uuid import UUID

from application.notifications.ports import DeliveryOutcome, OutgoingEmail, OutgoingSms
from application.notifications.views import (
    AnnouncementPage,
    AnnouncementView,
    DeliveryCounts,
    announcement_view,
)
from application.shared.paging import PageRequest
from domain.bookings.model import Booking, BookingState
from domain.housing.model import ResidentStatus
from domain.notifications.announcements import (
    Announcement,
    Audience,
    AudienceKind,
    ContactDetails,
)
from domain.notifications.model import DeliveryState, Notification
from domain.notifications.rules import RetryPolicy, claim, is_due, lease_expired, release_lease
from domain.shared.errors import Conflict
from tests.fakes.housing import InMemoryHousingStore

if TYPE_CHECKING:  # the bookings fakes import these: a run-time import would be a cycle
    from tests.fakes.bookings import InMemoryBookingStore


class InMemoryNotificationStore:
    """The committed notifications. A notifications unit of work holds `lock` from start to
    end, so its transactions run one at a time, like writers on SQLite."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Notification] = {}
        self.announcements: dict[UUID, Announcement] = {}
        self.lock = asyncio.Lock()

    def all(self) -> list[Notification]:
        return sorted(self.rows.values(), key=lambda n: (n.next_attempt_at, str(n.id)))


class InMemoryNotificationOutbox:
    """The outbox over one transaction's rows; the rules are the domain's own."""

    def __init__(self, rows: dict[UUID, Notification]) -> None:
        self._rows = rows

    async def add(self, notification: Notification) -> None:
        if notification.id in self._rows:
            raise Conflict("id is already taken", field="id")
        self._rows[notification.id] = notification

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        for notification in notifications:
            await self.add(notification)

    async def get(self, notification_id: UUID) -> Notification | None:
        return self._rows.get(notification_id)

    async def release_expired_leases(self, now: datetime, max_attempts: int) -> int:
        policy = RetryPolicy(max_attempts=max_attempts)
        expired = [n for n in self._rows.values() if lease_expired(n, now)]
        for notification in expired:
            self._rows[notification.id] = release_lease(notification, now, policy)
        return len(expired)

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[Notification]:
        due = sorted(
            (n for n in self._rows.values() if is_due(n, now)),
            key=lambda n: (n.next_attempt_at, str(n.id)),
        )[:limit]
        claimed = [claim(n, now, lease_until) for n in due]
        self._rows.update((n.id, n) for n in claimed)
        return claimed

    async def record(self, notification: Notification, claimed_until: datetime) -> bool:
        held = self._rows.get(notification.id)
        if (
            held is None
            or held.state is not DeliveryState.SENDING
            or held.claimed_until != claimed_until
        ):
            return False
        self._rows[notification.id] = replace(
            held,
            state=notification.state,
            attempts=notification.attempts,
            next_attempt_at=notification.next_attempt_at,
            claimed_until=notification.claimed_until,
            last_error=notification.last_error,
            sent_at=notification.sent_at,
        )
        return True


class InMemoryAnnouncementRepository:
    def __init__(self, rows: dict[UUID, Announcement]) -> None:
        self._rows = rows

    async def add(self, announcement: Announcement) -> None:
        if announcement.id in self._rows:
            raise Conflict("id is already taken", field="id")
        self._rows[announcement.id] = announcement

    async def get(self, announcement_id: UUID) -> Announcement | None:
        return self._rows.get(announcement_id)

    async def save_progress(self, announcement: Announcement, previous_cursor: UUID | None) -> bool:
        stored = self._rows.get(announcement.id)
        if stored is None or stored.finished or stored.cursor != previous_cursor:
            return False
        self._rows[announcement.id] = announcement
        return True

    async def unfinished(self, limit: int) -> list[UUID]:
        pending = [a for a in self._rows.values() if not a.finished]
        pending.sort(key=lambda a: (a.created_at, a.id))
        return [a.id for a in pending[:limit]]


class InMemoryNotificationsUnitOfWork:
    """Works on a private copy and publishes the rows it changed on commit. Serves as the
    announcements' unit of work too."""

    def __init__(self, store: InMemoryNotificationStore) -> None:
        self._store = store
        self._before: dict[UUID, Notification] = {}
        self._work: dict[UUID, Notification] | None = None
        self._announcements: dict[UUID, Announcement] = {}

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._before = dict(self._store.rows)
        self._work = dict(self._before)
        self._announcements = dict(self._store.announcements)
        self.outbox = InMemoryNotificationOutbox(self._work)
        self.announcements = InMemoryAnnouncementRepository(self._announcements)
        return self

    async def commit(self) -> None:
        assert self._work is not None, "commit() outside `async with`"
        for notification_id, notification in self._work.items():
            if self._before.get(notification_id) is not notification:
                self._store.rows[notification_id] = notification
        self._before = dict(self._work)
        # Transactions take turns (the lock), so this copy holds every committed change.
        self._store.announcements = dict(self._announcements)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._work = None
        self._store.lock.release()


class RecordingMailer:
    """Accepts every message unless its address is in `failures` (address -> error) or
    `broken` is set (the whole send raises). With `gate` set, each send first announces itself
    on `sending` and then waits for the gate to open: a test acts while a relay is mid-send."""

    def __init__(self, gate: asyncio.Event | None = None) -> None:
        self.batches: list[list[OutgoingEmail]] = []
        self.failures: dict[str, str] = {}
        self.broken: Exception | None = None
        self.gate = gate
        self.sending = asyncio.Event()

    @property
    def sent(self) -> list[OutgoingEmail]:
        return [
            message
            for batch in self.batches
            for message in batch
            if message.to not in self.failures
        ]

    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        self.sending.set()
        if self.gate is not None:
            await self.gate.wait()
        if self.broken is not None:
            raise self.broken
        self.batches.append(list(messages))
        return [
            DeliveryOutcome(message_id=message.message_id, error=self.failures.get(message.to))
            for message in messages
        ]


class RecordingSmsSender:
    """Accepts every message unless its number is in `failures` (number -> error)."""

    def __init__(self) -> None:
        self.attempted: list[OutgoingSms] = []
        self.failures: dict[str, str] = {}

    @property
    def sent(self) -> list[OutgoingSms]:
        return [message for message in self.attempted if message.to not in self.failures]

    async def send(self, message: OutgoingSms) -> DeliveryOutcome:
        self.attempted.append(message)
        return DeliveryOutcome(message_id=message.message_id, error=self.failures.get(message.to))


class RecordingBackgroundTasks:
    """Records what was enqueued; with `observe`, also what `observe()` said at that moment
    (how many notifications were committed, say), to check that enqueueing came after it."""

    def __init__(self, observe: Callable[[], object] | None = None) -> None:
        self.enqueued: list[tuple[str, dict[str, object]]] = []
        self.observed: list[object] = []
        self._observe = observe

    async def enqueue(self, task_name: str, **arguments: object) -> None:
        self.enqueued.append((task_name, arguments))
        if self._observe is not None:
            self.observed.append(self._observe())

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.enqueued]


class InMemoryAnnouncementQueries:
    def __init__(self, store: InMemoryNotificationStore) -> None:
        self._store = store

    def _view(self, announcement: Announcement) -> AnnouncementView:
        source = f"announcement:{announcement.id}"
        states = [n.state for n in self._store.rows.values() if n.source == source]
        delivery = DeliveryCounts(
            queued=sum(s in (DeliveryState.QUEUED, DeliveryState.SENDING) for s in states),
            sent=states.count(DeliveryState.SENT),
            failed=states.count(DeliveryState.FAILED),
        )
        return announcement_view(announcement, delivery)

    async def announcement(self, announcement_id: UUID) -> AnnouncementView | None:
        found = self._store.announcements.get(announcement_id)
        return None if found is None else self._view(found)

    async def announcements(self, page: PageRequest) -> AnnouncementPage:
        newest_first = sorted(
            self._store.announcements.values(), key=lambda a: (-a.created_at.timestamp(), a.id)
        )
        items = [self._view(a) for a in newest_first[page.offset : page.offset + page.limit]]
        return AnnouncementPage(
            items=items, total=len(newest_first), limit=page.limit, offset=page.offset
        )


class InMemoryAudienceDirectory:
    """The audience read from the housing and bookings fakes, by the rules of the SQL one."""

    def __init__(self, housing: InMemoryHousingStore, bookings: "InMemoryBookingStore") -> None:
        self._housing = housing
        self._bookings = bookings

    def _lives_there(self, booking: Booking, audience: Audience, day: date) -> bool:
        living = booking.state is BookingState.CHECKED_IN or (
            booking.state is BookingState.CONFIRMED and booking.stay.contains(day)
        )
        if not living or booking.bed_id is None:
            return False
        tables = self._housing.tables
        room = tables.rooms[tables.beds[booking.bed_id].room_id]
        on_floor = audience.kind is not AudienceKind.FLOOR or room.floor == audience.floor
        return room.building_id == audience.building_id and on_floor

    def _member_ids(self, audience: Audience, day: date) -> set[UUID]:
        residents = self._housing.tables.residents
        if audience.kind is AudienceKind.ALL_RESIDENTS:
            return {r.id for r in residents.values() if r.status is ResidentStatus.ACTIVE}
        if audience.kind is AudienceKind.RESIDENTS:
            return set(audience.resident_ids) & residents.keys()
        bookings = self._bookings.rows.values()
        return {b.resident_id for b in bookings if self._lives_there(b, audience, day)}

    async def members(
        self, audience: Audience, on: date, after: UUID | None, limit: int
    ) -> list[ContactDetails]:
        ids = sorted(i for i in self._member_ids(audience, on) if after is None or i > after)
        residents = self._housing.tables.residents
        return [
            ContactDetails(
                resident_id=r.id,
                first_name=r.first_name,
                last_name=r.last_name,
                email=r.email,
                phone=r.phone,
                email_opt_in=r.email_opt_in,
                sms_opt_in=r.sms_opt_in,
            )
            for r in (residents[i] for i in ids[:limit])
        ]

    async def count(self, audience: Audience, on: date) -> int:
        return len(self._member_ids(audience, on))

    async def building_floors(self, building_id: UUID) -> int | None:
        building = self._housing.tables.buildings.get(building_id)
        return None if building is None else building.floors

    async def unknown_residents(self, resident_ids: Sequence[UUID]) -> list[UUID]:
        known = self._housing.tables.residents
        return [i for i in resident_ids if i not in known]
