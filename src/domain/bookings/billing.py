"""What a booking costs and how its payments stand, as data and pure rules.

A held booking is paid through a gateway checkout (opened with the hold, for the price of the
stay) or at the office (cash, card, bank transfer). Each is a Payment:

    pending --succeeded--> succeeded --refund--> refunded
       |  ^                                         ^
       |  +--succeeded (a retry after a failure)    |
       +--failed--> failed                          |
    pending, failed --succeeded, but the booking is no longer held--> refund_due --refund--+

Webhooks may arrive twice or out of order. `settle` is the one rule that reads them: it only
ever moves a payment forward, so a late `payment.failed` cannot undo a success, and a second
success changes nothing. Money that arrives for a booking that can no longer be confirmed
(expired, cancelled, already paid another way) or that is not the amount asked for is kept
as `refund_due` for the office: it is never silently dropped, and it never confirms.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from domain.bookings.model import BookingState
from domain.bookings.payments import PaymentKind
from domain.shared.dates import DateRange
from domain.shared.money import Money


class PaymentMethod(StrEnum):
    GATEWAY = "gateway"
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"


OFFLINE_METHODS = frozenset({PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.BANK_TRANSFER})


class PaymentState(StrEnum):
    PENDING = "pending"  # a checkout is open, nothing arrived yet
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # the payer may still retry the same checkout
    REFUND_DUE = "refund_due"  # money arrived that cannot pay the booking
    REFUNDED = "refunded"


# Money was taken: these count towards nothing else and are never overwritten by a failure.
SETTLED_STATES = frozenset({PaymentState.SUCCEEDED, PaymentState.REFUND_DUE, PaymentState.REFUNDED})


@dataclass(frozen=True, slots=True)
class Payment:
    booking_id: UUID
    method: PaymentMethod
    state: PaymentState
    amount: Money
    created_at: datetime
    # The gateway's checkout, its page and its deadline; None for a payment at the office.
    checkout_id: str | None = None
    payment_url: str | None = None
    pay_by: datetime | None = None
    reference: str | None = None  # a receipt or transfer number, for the office
    recorded_by: UUID | None = None  # the office user who took an offline payment
    updated_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)


def price_of_stay(nightly_rate: Money, stay: DateRange) -> Money:
    """The room's nightly rate times the nights of the stay, exact to the cent."""
    return Money(nightly_rate.amount * stay.nights, nightly_rate.currency)


@dataclass(frozen=True, slots=True)
class Settlement:
    state: PaymentState
    confirms_booking: bool


def settle(
    payment: PaymentState, booking: BookingState | None, kind: PaymentKind, amount_matches: bool
) -> Settlement:
    """What one gateway event does to a payment (and its booking), whatever came before.

    - `payment.succeeded` on a pending or failed payment: succeeded, and the booking is
      confirmed, when the booking is still held and the amount is the one asked for;
      otherwise the money is `refund_due` and the booking is left alone;
    - `payment.failed` only moves a pending payment: after a success it changes nothing;
    - `refund` marks money that was taken as refunded;
    - anything else (a repeat, an event that came too late) changes nothing.
    """
    unchanged = Settlement(payment, confirms_booking=False)
    if kind is PaymentKind.SUCCEEDED:
        if payment in SETTLED_STATES:
            return unchanged
        if booking is BookingState.HELD and amount_matches:
            return Settlement(PaymentState.SUCCEEDED, confirms_booking=True)
        return Settlement(PaymentState.REFUND_DUE, confirms_booking=False)
    if kind is PaymentKind.FAILED and payment is PaymentState.PENDING:
        return Settlement(PaymentState.FAILED, confirms_booking=False)
    if kind is PaymentKind.REFUND and payment in {PaymentState.SUCCEEDED, PaymentState.REFUND_DUE}:
        return Settlement(PaymentState.REFUNDED, confirms_booking=False)
    return unchanged


class BalanceStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"


@dataclass(frozen=True, slots=True)
class Balance:
    price: Money
    paid: Money
    due: Money
    refund_due: Money
    status: BalanceStatus
    open_checkout: Payment | None  # where the rest can be paid, while something is due


def balance(payments: Iterable[Payment]) -> Balance | None:
    """How a booking's payments stand; None when it has none (it was never held).

    The price is what the latest checkout asked for (the hold's quote); a booking confirmed
    at the office without a checkout costs what was paid. Only succeeded payments count.
    """
    ordered = sorted(payments, key=lambda payment: (payment.created_at, str(payment.id)))
    if not ordered:
        return None
    checkouts = [payment for payment in ordered if payment.checkout_id is not None]
    currency = (checkouts or ordered)[-1].amount.currency

    def total(*states: PaymentState) -> Decimal:
        return sum(
            (
                p.amount.amount
                for p in ordered
                if p.state in states and p.amount.currency == currency
            ),
            Decimal(0),
        )

    paid = total(PaymentState.SUCCEEDED)
    price = checkouts[-1].amount.amount if checkouts else paid
    due = max(price - paid, Decimal(0))
    pending = [p for p in checkouts if p.state in {PaymentState.PENDING, PaymentState.FAILED}]
    return Balance(
        price=Money(price, currency),
        paid=Money(paid, currency),
        due=Money(due, currency),
        refund_due=Money(total(PaymentState.REFUND_DUE), currency),
        status=BalanceStatus.PAID if due == 0 else BalanceStatus.UNPAID,
        open_checkout=pending[-1] if pending and due > 0 else None,
    )
