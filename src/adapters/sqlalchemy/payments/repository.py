"""Payments, applied gateway events and hold reminders as rows, inside a bookings unit of work.
An event id, or a reminder's booking, is claimed by inserting its row: the primary key decides
which of two deliveries, or two runs, gets there first."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Insert, Row, Table, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.payments.tables import payment_events, payment_reminders, payments
from adapters.sqlalchemy.tables import bookings
from domain.bookings.billing import Payment, PaymentMethod, PaymentState
from domain.bookings.model import BookingState
from domain.bookings.payments import PaymentEvent
from domain.shared.money import Money


def insert_if_new(connection: AsyncConnection, table: Table, values: dict[str, Any]) -> Insert:
    """An INSERT that does nothing (rowcount 0) when the key is taken, instead of failing the
    transaction, as a plain INSERT would on PostgreSQL."""
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(values).on_conflict_do_nothing()


def payment_values(payment: Payment) -> dict[str, Any]:
    return {
        "id": payment.id,
        "booking_id": payment.booking_id,
        "method": payment.method.value,
        "state": payment.state.value,
        "amount_cents": payment.amount.cents,
        "currency": payment.amount.currency,
        "checkout_id": payment.checkout_id,
        "payment_url": payment.payment_url,
        "pay_by": payment.pay_by,
        "reference": payment.reference,
        "recorded_by": payment.recorded_by,
        "created_at": payment.created_at,
        "updated_at": payment.updated_at,
    }


def payment_from(row: Row[Any]) -> Payment:
    return Payment(
        id=row.id,
        booking_id=row.booking_id,
        method=PaymentMethod(row.method),
        state=PaymentState(row.state),
        amount=Money.from_cents(row.amount_cents, row.currency),
        checkout_id=row.checkout_id,
        payment_url=row.payment_url,
        pay_by=row.pay_by,
        reference=row.reference,
        recorded_by=row.recorded_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlAlchemyPaymentRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add(self, payment: Payment) -> None:
        await self._connection.execute(payments.insert().values(payment_values(payment)))

    async def update_from(self, payment: Payment, expected: PaymentState) -> bool:
        values = payment_values(payment)
        del values["id"]
        result = await self._connection.execute(
            update(payments)
            .where(payments.c.id == payment.id, payments.c.state == expected.value)
            .values(values)
        )
        return bool(result.rowcount)

    async def by_checkout(self, checkout_id: str) -> Payment | None:
        query = select(payments).where(payments.c.checkout_id == checkout_id)
        row = (await self._connection.execute(query)).first()
        return None if row is None else payment_from(row)

    async def of_booking(self, booking_id: UUID) -> list[Payment]:
        query = (
            select(payments)
            .where(payments.c.booking_id == booking_id)
            .order_by(payments.c.created_at, payments.c.id)
        )
        return [payment_from(row) for row in await self._connection.execute(query)]

    async def event_applied(self, event_id: str) -> bool:
        query = select(payment_events.c.event_id).where(payment_events.c.event_id == event_id)
        return (await self._connection.execute(query)).first() is not None

    async def record_event(self, event: PaymentEvent, received_at: datetime) -> bool:
        values = {
            "event_id": event.event_id,
            "kind": event.kind.value,
            "booking_id": event.booking_id,
            "checkout_id": event.checkout_id,
            "amount_cents": event.amount_cents,
            "currency": event.currency,
            "occurred_at": event.occurred_at,
            "received_at": received_at,
        }
        result = await self._connection.execute(
            insert_if_new(self._connection, payment_events, values)
        )
        return bool(result.rowcount)

    async def remind_once(self, booking_id: UUID, sent_at: datetime) -> bool:
        values = {"booking_id": booking_id, "sent_at": sent_at}
        result = await self._connection.execute(
            insert_if_new(self._connection, payment_reminders, values)
        )
        return bool(result.rowcount)

    async def holds_to_remind(self, now: datetime, until: datetime, limit: int) -> list[UUID]:
        reminded = exists().where(payment_reminders.c.booking_id == bookings.c.id)
        query = (
            select(bookings.c.id)
            .where(
                bookings.c.state == BookingState.HELD.value,
                bookings.c.hold_expires_at > now,
                bookings.c.hold_expires_at <= until,
                ~reminded,
            )
            .order_by(bookings.c.hold_expires_at, bookings.c.id)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())
