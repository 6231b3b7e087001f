"""The notifications table as the outbox.

Claiming is one UPDATE whose WHERE repeats the claim's condition (`queued` and due), so a
notification moves to `sending` for one claimer only, on either engine:

- PostgreSQL: the rows are picked FOR UPDATE SKIP LOCKED, so concurrent relays take disjoint
  batches without waiting on each other; a row another relay claimed and committed meanwhile
  fails the repeated condition when PostgreSQL re-checks it after the lock, and is left out.
- SQLite: one writer at a time; a second claimer waits (busy timeout) until the first commits
  and then finds those rows `sending`.

Recording an outcome is fenced by the lease: it changes the row only while the claim that
produced it (`sending` with that `claimed_until`) still holds."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy import tables
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from domain.notifications.model import Channel, DeliveryState, Notification
from domain.notifications.rules import LEASE_LOST

_table = tables.notifications
_SENDING = DeliveryState.SENDING.value


def _delivery_values(notification: Notification) -> dict[str, Any]:
    return {
        "state": notification.state.value,
        "attempts": notification.attempts,
        "next_attempt_at": notification.next_attempt_at,
        "claimed_until": notification.claimed_until,
        "last_error": notification.last_error,
        "sent_at": notification.sent_at,
    }


def notification_values(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.id,
        "kind": notification.kind,
        "channel": notification.channel.value,
        "recipient_address": notification.recipient_address,
        "recipient_name": notification.recipient_name,
        "data": dict(notification.data),
        "source": notification.source,
        **_delivery_values(notification),
    }


def notification_from(row: Row[Any]) -> Notification:
    return Notification(
        id=row.id,
        kind=row.kind,
        channel=Channel(row.channel),
        recipient_address=row.recipient_address,
        recipient_name=row.recipient_name,
        data=dict(row.data),
        source=row.source,
        state=DeliveryState(row.state),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        claimed_until=row.claimed_until,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


class SqlAlchemyNotificationOutbox:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    def _picked(self, rows: Select[tuple[UUID]]) -> Select[tuple[UUID]]:
        """The ids of the rows an UPDATE may change, chosen once.

        PostgreSQL: locked FOR UPDATE SKIP LOCKED, in a MATERIALIZED common table expression,
        which runs a single time; as a plain `IN (subquery)` the planner may run a LIMIT ...
        SKIP LOCKED subquery once per outer row and so take more rows than the limit.
        SQLite: a plain subquery. Python's sqlite3 opens its implicit transaction only for a
        statement that starts with UPDATE (not WITH), and SQLite has no row locks to skip."""
        if self._connection.dialect.name != "postgresql":
            return rows
        picked = rows.with_for_update(skip_locked=True).cte().prefix_with("MATERIALIZED")
        return select(picked.c.id)

    async def add(self, notification: Notification) -> None:
        await self._connection.execute(insert(_table).values(notification_values(notification)))

    async def add_all(self, notifications: Sequence[Notification]) -> None:
        if notifications:  # one executemany round trip for a whole batch
            await self._connection.execute(
                insert(_table), [notification_values(item) for item in notifications]
            )

    async def get(self, notification_id: UUID) -> Notification | None:
        query = select(_table).where(_table.c.id == notification_id)
        row = (await self._connection.execute(query)).first()
        return None if row is None else notification_from(row)

    async def release_expired_leases(self, now: datetime, max_attempts: int) -> int:
        expired = (_table.c.state == _SENDING, _table.c.claimed_until <= now)
        released = 0
        for last_chance, values in (
            (
                _table.c.attempts < max_attempts,
                # Due at the moment the lease ran out, which is already past.
                {"state": DeliveryState.QUEUED.value, "next_attempt_at": _table.c.claimed_until},
            ),
            (_table.c.attempts >= max_attempts, {"state": DeliveryState.FAILED.value}),
        ):
            rows = self._picked(select(_table.c.id).where(*expired, last_chance))
            result = await self._connection.execute(
                update(_table)
                .where(_table.c.id.in_(rows), *expired)
                .values(**values, claimed_until=None, last_error=LEASE_LOST)
            )
            released += result.rowcount
        return released

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[Notification]:
        due = (_table.c.state == DeliveryState.QUEUED.value, _table.c.next_attempt_at <= now)
        batch = self._picked(
            select(_table.c.id)
            .where(*due)
            .order_by(_table.c.next_attempt_at, _table.c.id)
            .limit(limit)
        )
        claim = (
            update(_table)
            .where(_table.c.id.in_(batch), *due)
            .values(state=_SENDING, attempts=_table.c.attempts + 1, claimed_until=lease_until)
            .returning(*_table.c)
        )
        claimed = [notification_from(row) for row in await self._connection.execute(claim)]
        # RETURNING promises no order.
        return sorted(claimed, key=lambda n: (n.next_attempt_at, str(n.id)))

    async def record(self, notification: Notification, claimed_until: datetime) -> bool:
        result = await self._connection.execute(
            update(_table)
            .where(
                _table.c.id == notification.id,
                _table.c.state == _SENDING,
                _table.c.claimed_until == claimed_until,
            )
            .values(_delivery_values(notification))
        )
        return bool(result.rowcount == 1)


class SqlAlchemyNotificationsUnitOfWork(SqlAlchemyUnitOfWork):
    outbox: SqlAlchemyNotificationOutbox

    def _bind(self, connection: AsyncConnection) -> None:
        self.outbox = SqlAlchemyNotificationOutbox(connection)
