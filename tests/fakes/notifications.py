"""Fakes of the notifications ports: the outbox in memory, and senders that record."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from application.notifications.ports import DeliveryOutcome, OutgoingEmail, OutgoingSms
from domain.notifications.model import DeliveryState, Notification
from domain.notifications.rules import RetryPolicy, claim, is_due, lease_expired, release_lease
from domain.shared.errors import Conflict


class InMemoryNotificationStore:
    """The committed notifications. A notifications unit of work holds `lock` from start to
    end, so its transactions run one at a time, like writers on SQLite."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Notification] = {}
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


class InMemoryNotificationsUnitOfWork:
    """Works on a private copy and publishes the rows it changed on commit."""

    def __init__(self, store: InMemoryNotificationStore) -> None:
        self._store = store
        self._before: dict[UUID, Notification] = {}
        self._work: dict[UUID, Notification] | None = None

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._before = dict(self._store.rows)
        self._work = dict(self._before)
        self.outbox = InMemoryNotificationOutbox(self._work)
        return self

    async def commit(self) -> None:
        assert self._work is not None, "commit() outside `async with`"
        for notification_id, notification in self._work.items():
            if self._before.get(notification_id) is not notification:
                self._store.rows[notification_id] = notification
        self._before = dict(self._work)

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
