"""The payment gateway's webhook: a signed event tells the app a checkout was paid, failed or
refunded."""

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import msgspec

from application.bookings.notices import BookingChanges, InTransaction
from application.bookings.ports import BookingsUnitOfWork, BookingsUnitOfWorkFactory
from application.payments.commands import WebhookEvent
from application.payments.views import WebhookOutcome, WebhookReceipt
from application.shared.ports import Clock
from domain.bookings import rules
from domain.bookings.billing import Payment, PaymentMethod, PaymentState, settle
from domain.bookings.model import BookingState
from domain.bookings.payments import (
    DEFAULT_TOLERANCE_SECONDS,
    PaymentEvent,
    PaymentKind,
    verify_signature,
)
from domain.shared.errors import Conflict, InvalidValue
from domain.shared.money import Money

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "Payment-Signature"
# Each round re-reads what a concurrent event or expiry changed; two are enough for one rival.
MAX_ROUNDS = 3


@dataclass(frozen=True, slots=True)
class WebhookVerification:
    secret: bytes
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS


class _AlreadyApplied(Exception):
    """Another delivery of the same event committed first."""


class _Moved(Exception):
    """The payment or the booking changed between the read and the write."""


def decode_event(body: bytes) -> PaymentEvent | str:
    """The event a body carries, or the id of an event of a kind payments do not follow."""
    try:
        event = msgspec.json.decode(body, type=WebhookEvent)
    except msgspec.ValidationError as error:
        raise InvalidValue("body", str(error)) from error
    except msgspec.DecodeError as error:
        raise InvalidValue("body", "is not a JSON document") from error
    try:
        kind = PaymentKind(event.type)
    except ValueError:
        return event.id
    data = event.data
    return PaymentEvent(
        event_id=event.id,
        booking_id=data.booking_id,
        amount_cents=data.amount_cents,
        currency=data.currency.upper(),
        kind=kind,
        occurred_at=datetime.fromtimestamp(event.created, UTC),
        checkout_id=data.checkout_id,
    )


def _amount_matches(payment: Payment | None, event: PaymentEvent) -> bool:
    # Money for a checkout the app never opened matches no quote: the office sorts it out.
    return (
        payment is not None
        and payment.amount.cents == event.amount_cents
        and payment.amount.currency == event.currency
    )


def _payment_of(event: PaymentEvent, now: datetime) -> Payment:
    return Payment(
        booking_id=event.booking_id,
        method=PaymentMethod.GATEWAY,
        state=PaymentState.PENDING,
        amount=Money.from_cents(event.amount_cents, event.currency),
        created_at=now,
        checkout_id=event.checkout_id,
    )


class HandlePaymentWebhook:
    """Applies one event of the payment gateway. No token: the call is authenticated by its
    signature (header `Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." +
    the raw body>`, keyed with PAYMENT_WEBHOOK_SECRET).

    - a missing, malformed or wrong signature, or a timestamp more than
      PAYMENT_WEBHOOK_TOLERANCE_SECONDS away, answers 401 and changes nothing; a signed body
      that is not an event answers 422;
    - each event id is applied once: a replay answers 200 (`duplicate`) and changes nothing;
    - `payment.succeeded` for a held booking, for the amount its checkout asked, marks the
      payment succeeded and confirms the booking (the resident is emailed); for a booking that
      is no longer held (expired, cancelled, paid another way) or for another amount the
      payment is kept as `refund_due` and the booking is left alone;
    - events may come in any order: `payment.failed` after `payment.succeeded`, or a second
      success for the same checkout, change nothing; `refund` marks money taken as refunded;
    - other event types, and events for unknown bookings, are acknowledged and ignored.
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        clock: Clock,
        verification: WebhookVerification,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock
        self._verification = verification

    async def __call__(self, body: bytes, signature: str | None) -> WebhookReceipt:
        now = self._clock.now()
        check = self._verification
        verify_signature(
            check.secret, signature, body, int(now.timestamp()), check.tolerance_seconds
        )
        event = decode_event(body)
        if isinstance(event, str):
            return WebhookReceipt(event_id=event, outcome=WebhookOutcome.IGNORED)
        for _ in range(MAX_ROUNDS):
            try:
                outcome = await self._apply(event, now)
            except _Moved:
                continue
            except _AlreadyApplied:
                outcome = WebhookOutcome.DUPLICATE
            return WebhookReceipt(event_id=event.event_id, outcome=outcome)
        raise Conflict("the payment kept changing meanwhile; deliver the event again", "id")

    async def _apply(self, event: PaymentEvent, now: datetime) -> WebhookOutcome:
        async with self._uow() as uow:
            if await uow.payments.event_applied(event.event_id):
                return WebhookOutcome.DUPLICATE
            stored = None
            if event.checkout_id is not None:
                stored = await uow.payments.by_checkout(event.checkout_id)
            booking_id = event.booking_id if stored is None else stored.booking_id
            booking = await uow.bookings.get(booking_id)
        if booking is None:
            logger.warning("payment event %s names no booking (%s)", event.event_id, booking_id)
            await self._record(event, now, None, None)
            return WebhookOutcome.IGNORED
        payment = stored or _payment_of(event, now)
        settlement = settle(
            payment.state, booking.state, event.kind, _amount_matches(stored, event)
        )
        settled = replace(payment, state=settlement.state, updated_at=now)
        if not settlement.confirms_booking:
            await self._record(event, now, stored, settled)
            return WebhookOutcome.APPLIED
        confirmed = rules.confirm(booking, now)
        write = self._writes(event, now, stored, settled)
        if not await self._changes.store(confirmed, BookingState.HELD, also=write):
            raise _Moved()  # expired or cancelled meanwhile: settle again against that
        await self._changes.committed(confirmed)
        return WebhookOutcome.APPLIED

    async def _record(
        self, event: PaymentEvent, now: datetime, stored: Payment | None, settled: Payment | None
    ) -> None:
        async with self._uow() as uow:
            await self._writes(event, now, stored, settled)(uow)
            await uow.commit()

    @staticmethod
    def _writes(
        event: PaymentEvent, now: datetime, stored: Payment | None, settled: Payment | None
    ) -> InTransaction:
        async def write(uow: BookingsUnitOfWork) -> None:
            if not await uow.payments.record_event(event, now):
                raise _AlreadyApplied()
            if settled is None:
                return
            if stored is None:
                await uow.payments.add(settled)
            elif settled.state is not stored.state and not await uow.payments.update_from(
                settled, stored.state
            ):
                raise _Moved()

        return write
