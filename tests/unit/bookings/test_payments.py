"""Paying a held bed: the gateway's signed webhooks, payments at the office, and the reminder
before a hold runs out; on the in-memory fakes."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from application.payments.commands import OfflineMethod, RecordPaymentCommand
from application.payments.offline import ListPayments, RecordOfflinePayment
from application.payments.reminders import WarnExpiringHolds
from application.payments.sandbox import CompleteSandboxCheckout
from application.payments.views import WebhookOutcome
from application.payments.webhook import HandlePaymentWebhook, WebhookVerification
from application.shared.paging import PageRequest
from domain.bookings.billing import PaymentMethod, PaymentState
from domain.bookings.errors import InvalidSignature, SignatureProblem
from domain.bookings.model import Booking, BookingState
from domain.bookings.payments import signature_header
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.bookings.kit import HOLD, STAFF, Campus, a_resident_principal

SECRET = b"whsec_unit"
# 89 nights at the kit's 40 EUR.
PRICE_CENTS = 356_000


class Paying:
    """The payments use cases over a campus of the bookings kit."""

    def __init__(self, campus: Campus) -> None:
        self.campus = campus
        verification = WebhookVerification(SECRET, tolerance_seconds=300)
        self.webhook = HandlePaymentWebhook(campus.uow, campus.changes, campus.clock, verification)
        self.record = RecordOfflinePayment(
            campus.uow, campus.changes, campus.checkouts, campus.clock
        )
        self.list = ListPayments(campus.uow)
        self.warn = WarnExpiringHolds(campus.uow, campus.changes, campus.clock, HOLD)
        self.sandbox = CompleteSandboxCheckout(
            campus.gateway, self.webhook, campus.clock, verification
        )

    async def held(self) -> Booking:
        self.campus.room(self.campus.building(), beds=1)
        booking = await self.campus.booked(self.campus.resident())
        assert booking.state is BookingState.HELD
        return booking

    def checkout_of(self, booking: Booking) -> str:
        (checkout_id,) = (
            c.id for c in self.campus.gateway.checkouts.values() if c.booking_id == booking.id
        )
        return checkout_id

    def event(self, booking: Booking, event_id: str, kind: str, **data: Any) -> bytes:
        body = {
            "id": event_id,
            "type": kind,
            "created": int(self.campus.clock.now().timestamp()),
            "data": {
                "booking_id": str(booking.id),
                "checkout_id": self.checkout_of(booking),
                "amount_cents": PRICE_CENTS,
                "currency": "EUR",
                **data,
            },
        }
        return msgspec.json.encode(body)

    def signed(self, body: bytes, seconds_ago: int = 0) -> str:
        now = int(self.campus.clock.now().timestamp())
        return signature_header(SECRET, now - seconds_ago, body)

    async def deliver(self, body: bytes) -> WebhookOutcome:
        return (await self.webhook(body, self.signed(body))).outcome

    def payments(self, booking: Booking) -> list[tuple[PaymentMethod, PaymentState]]:
        rows = self.campus.store.payments.payments.values()
        found = sorted((p for p in rows if p.booking_id == booking.id), key=lambda p: p.created_at)
        return [(p.method, p.state) for p in found]

    def kinds(self) -> list[str]:
        return [kind for kind, _ in self.campus.emails()]


@pytest.fixture
def paying(campus: Campus) -> Paying:
    return Paying(campus)


async def test_a_hold_opens_a_checkout_for_the_price_of_the_stay(paying: Paying) -> None:
    booking = await paying.held()

    (checkout,) = paying.campus.gateway.checkouts.values()
    assert (checkout.amount_cents, checkout.currency) == (PRICE_CENTS, "EUR")
    assert checkout.expires_at == booking.hold_expires_at
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.PENDING)]


async def test_a_signed_success_confirms_the_hold_and_emails_the_resident(
    paying: Paying,
) -> None:
    booking = await paying.held()

    outcome = await paying.deliver(paying.event(booking, "evt_1", "payment.succeeded"))

    assert outcome is WebhookOutcome.APPLIED
    assert paying.campus.stored(booking.id).state is BookingState.CONFIRMED
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.SUCCEEDED)]
    assert paying.kinds() == ["booking_held", "booking_confirmed"]
    events = paying.campus.events.on(f"residents.{booking.resident_id}")
    assert events[-1]["state"] == "confirmed"


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, SignatureProblem.MISSING),
        ("v1=deadbeef", SignatureProblem.MALFORMED),
        ("signed with another secret", SignatureProblem.MISMATCH),
        ("signed six minutes ago", SignatureProblem.STALE),
    ],
)
async def test_an_unproven_webhook_is_refused_and_changes_nothing(
    paying: Paying, header: str | None, problem: SignatureProblem
) -> None:
    booking = await paying.held()
    body = paying.event(booking, "evt_1", "payment.succeeded")
    now = int(paying.campus.clock.now().timestamp())
    if header == "signed with another secret":
        header = signature_header(b"whsec_forged", now, body)
    elif header == "signed six minutes ago":
        header = paying.signed(body, seconds_ago=360)

    with pytest.raises(InvalidSignature) as refused:
        await paying.webhook(body, header)

    assert refused.value.problem is problem
    assert paying.campus.stored(booking.id).state is BookingState.HELD
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.PENDING)]
    assert paying.campus.store.payments.events == {}
    assert paying.kinds() == ["booking_held"]


async def test_a_tampered_body_fails_the_signature_it_was_sent_with(paying: Paying) -> None:
    booking = await paying.held()
    body = paying.event(booking, "evt_1", "payment.failed")
    header = paying.signed(body)

    with pytest.raises(InvalidSignature):
        await paying.webhook(body.replace(b"payment.failed", b"payment.succeeded"), header)

    assert paying.campus.stored(booking.id).state is BookingState.HELD


async def test_a_replayed_event_answers_duplicate_and_changes_nothing(paying: Paying) -> None:
    booking = await paying.held()
    body = paying.event(booking, "evt_1", "payment.succeeded")

    first = await paying.deliver(body)
    paying.campus.clock.advance(timedelta(minutes=1))
    again = await paying.deliver(body)

    assert (first, again) == (WebhookOutcome.APPLIED, WebhookOutcome.DUPLICATE)
    assert paying.kinds() == ["booking_held", "booking_confirmed"]
    assert list(paying.campus.store.payments.events) == ["evt_1"]


async def test_a_failure_after_a_success_does_not_undo_it(paying: Paying) -> None:
    booking = await paying.held()

    await paying.deliver(paying.event(booking, "evt_ok", "payment.succeeded"))
    late = await paying.deliver(paying.event(booking, "evt_failed", "payment.failed"))

    assert late is WebhookOutcome.APPLIED  # acknowledged, so the gateway stops sending it
    assert paying.campus.stored(booking.id).state is BookingState.CONFIRMED
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.SUCCEEDED)]


async def test_a_failure_then_a_success_still_confirms(paying: Paying) -> None:
    booking = await paying.held()

    await paying.deliver(paying.event(booking, "evt_failed", "payment.failed"))
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.FAILED)]
    await paying.deliver(paying.event(booking, "evt_ok", "payment.succeeded"))

    assert paying.campus.stored(booking.id).state is BookingState.CONFIRMED


async def test_a_second_success_with_another_event_id_changes_nothing(paying: Paying) -> None:
    booking = await paying.held()

    await paying.deliver(paying.event(booking, "evt_1", "payment.succeeded"))
    second = await paying.deliver(paying.event(booking, "evt_2", "payment.succeeded"))

    assert second is WebhookOutcome.APPLIED
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.SUCCEEDED)]
    assert paying.kinds() == ["booking_held", "booking_confirmed"]


async def test_money_for_an_expired_hold_is_kept_for_refund_and_confirms_nothing(
    paying: Paying,
) -> None:
    booking = await paying.held()
    paying.campus.clock.advance(HOLD)
    await paying.campus.expire_holds()

    await paying.deliver(paying.event(booking, "evt_late", "payment.succeeded"))

    assert paying.campus.stored(booking.id).state is BookingState.EXPIRED
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.REFUND_DUE)]
    assert "booking_confirmed" not in paying.kinds()


async def test_another_amount_is_kept_for_refund(paying: Paying) -> None:
    booking = await paying.held()

    await paying.deliver(paying.event(booking, "evt_1", "payment.succeeded", amount_cents=100))

    assert paying.campus.stored(booking.id).state is BookingState.HELD
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.REFUND_DUE)]


async def test_other_event_types_and_unknown_bookings_are_acknowledged(paying: Paying) -> None:
    booking = await paying.held()
    other_type = paying.event(booking, "evt_1", "checkout.viewed")
    body = msgspec.json.decode(paying.event(booking, "evt_2", "payment.succeeded"))
    body["data"] |= {"booking_id": "00000000-0000-0000-0000-000000000001", "checkout_id": None}
    unknown = msgspec.json.encode(body)

    assert await paying.deliver(other_type) is WebhookOutcome.IGNORED
    assert await paying.deliver(unknown) is WebhookOutcome.IGNORED
    assert await paying.deliver(unknown) is WebhookOutcome.DUPLICATE
    assert paying.campus.stored(booking.id).state is BookingState.HELD


async def test_a_signed_body_that_is_not_an_event_answers_422_naming_the_body(
    paying: Paying,
) -> None:
    for body in (b"not json", b'{"id": "evt_1"}'):
        with pytest.raises(InvalidValue) as refused:
            await paying.webhook(body, paying.signed(body))
        assert refused.value.field == "body"


async def test_the_sandbox_page_pays_through_the_webhook_once(paying: Paying) -> None:
    booking = await paying.held()
    checkout_id = paying.checkout_of(booking)

    first = await paying.sandbox(checkout_id, pay=True)
    again = await paying.sandbox(checkout_id, pay=True)  # a second click

    assert (first.outcome, again.outcome) == (WebhookOutcome.APPLIED, WebhookOutcome.DUPLICATE)
    assert first.event_id == again.event_id
    assert paying.campus.stored(booking.id).state is BookingState.CONFIRMED
    with pytest.raises(Conflict):
        await paying.sandbox(checkout_id, pay=False)
    with pytest.raises(NotFound):
        await paying.sandbox("cs_unknown", pay=True)


async def test_a_declined_sandbox_checkout_leaves_the_hold_and_closes_at_its_deadline(
    paying: Paying,
) -> None:
    booking = await paying.held()
    other = await paying.campus.booked(
        paying.campus.resident("002"),
        starts_on=booking.stay.end,
        ends_on=booking.stay.end + timedelta(days=30),
    )

    await paying.sandbox(paying.checkout_of(booking), pay=False)
    paying.campus.clock.advance(HOLD)

    assert paying.campus.stored(booking.id).state is BookingState.HELD
    assert paying.payments(booking) == [(PaymentMethod.GATEWAY, PaymentState.FAILED)]
    with pytest.raises(Conflict):
        await paying.sandbox(paying.checkout_of(other), pay=True)


async def test_the_office_records_a_payment_of_the_amount_due_and_confirms(
    paying: Paying,
) -> None:
    booking = await paying.held()
    command = RecordPaymentCommand(
        amount=Decimal("3560.00"), method=OfflineMethod.CASH, reference="R-1"
    )

    payment = await paying.record(STAFF, booking.id, command)

    assert (payment.state, payment.method, payment.reference) == (
        PaymentState.SUCCEEDED,
        PaymentMethod.CASH,
        "R-1",
    )
    assert payment.recorded_by == STAFF.user_id
    assert paying.campus.stored(booking.id).state is BookingState.CONFIRMED
    assert paying.kinds() == ["booking_held", "booking_confirmed"]
    with pytest.raises(Conflict):  # confirmed: nothing is due
        await paying.record(STAFF, booking.id, command)
    # Paid at the gateway as well: kept for refund, the booking stays as it is.
    await paying.deliver(paying.event(booking, "evt_1", "payment.succeeded"))
    assert paying.payments(booking) == [
        (PaymentMethod.GATEWAY, PaymentState.REFUND_DUE),
        (PaymentMethod.CASH, PaymentState.SUCCEEDED),
    ]


async def test_an_office_payment_of_another_amount_is_refused(paying: Paying) -> None:
    booking = await paying.held()

    for amount in ("3559.99", "3560.001", "-1"):
        command = RecordPaymentCommand(amount=Decimal(amount), method=OfflineMethod.CARD)
        with pytest.raises(InvalidValue) as refused:
            await paying.record(STAFF, booking.id, command)
        assert refused.value.field == "amount"
    assert paying.campus.stored(booking.id).state is BookingState.HELD


async def test_residents_list_only_their_own_payments(paying: Paying) -> None:
    booking = await paying.held()
    own = a_resident_principal(booking.resident_id)
    stranger = a_resident_principal(paying.campus.resident("002").id)

    page = await paying.list(own, booking.id, PageRequest())

    assert [item.state for item in page.items] == [PaymentState.PENDING]
    with pytest.raises(NotFound):
        await paying.list(stranger, booking.id, PageRequest())


async def test_the_reminder_goes_once_when_a_third_of_the_hold_is_left(paying: Paying) -> None:
    booking = await paying.held()

    assert await paying.warn() == 0  # 30 minutes left
    paying.campus.clock.advance(timedelta(minutes=20))
    assert await paying.warn() == 1
    assert await paying.warn() == 0  # a second run sends nothing more
    paying.campus.clock.advance(timedelta(minutes=5))
    assert await paying.warn() == 0

    assert paying.kinds() == ["booking_held", "booking_hold_expiring"]
    reminder = list(paying.campus.notifications.rows.values())[-1]
    assert reminder.data["payment_url"].endswith(paying.checkout_of(booking))
    assert reminder.source == f"booking:{booking.id}"


async def test_a_paid_hold_gets_no_reminder(paying: Paying) -> None:
    booking = await paying.held()
    await paying.deliver(paying.event(booking, "evt_1", "payment.succeeded"))
    paying.campus.clock.advance(timedelta(minutes=25))

    assert await paying.warn() == 0
