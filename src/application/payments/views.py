"""What payments reads return; also the response bodies."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import View
from application.shared.views import Page
from domain.bookings.billing import Balance, BalanceStatus, Payment, PaymentMethod, PaymentState

Amount = Annotated[Decimal, msgspec.Meta(examples=["3560.00"])]


class PaymentView(View):
    id: UUID
    booking_id: UUID
    method: PaymentMethod
    state: PaymentState
    amount: Amount
    currency: Annotated[str, msgspec.Meta(examples=["EUR"])]
    checkout_id: Annotated[str | None, msgspec.Meta(description="The gateway's checkout")]
    payment_url: Annotated[
        str | None, msgspec.Meta(description="The gateway's page where the resident pays")
    ]
    pay_by: datetime | None
    reference: Annotated[str | None, msgspec.Meta(description="A receipt or transfer number")]
    recorded_by: Annotated[
        UUID | None, msgspec.Meta(description="The office user who took the payment")
    ]
    created_at: datetime
    updated_at: datetime | None


class PaymentPage(Page):
    items: list[PaymentView]


class BookingPaymentView(View):
    """How a booking's payments stand."""

    status: BalanceStatus
    price: Annotated[Decimal, msgspec.Meta(description="The stay's price, quoted at the hold")]
    amount_paid: Decimal
    amount_due: Annotated[Decimal, msgspec.Meta(description="What is left to pay")]
    refund_due: Annotated[
        Decimal, msgspec.Meta(description="Money received that the office must refund")
    ]
    currency: str
    payment_url: Annotated[
        str | None, msgspec.Meta(description="Where to pay what is due, while the bed is held")
    ]
    pay_by: datetime | None


class WebhookOutcome(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"  # this event id was applied before: nothing changed
    IGNORED = "ignored"  # a kind of event, or a booking, that payments do not follow


class WebhookReceipt(View):
    event_id: str
    outcome: WebhookOutcome


class SandboxState(StrEnum):
    OPEN = "open"
    PAID = "paid"
    DECLINED = "declined"


class SandboxCheckoutView(View):
    id: str
    booking_id: UUID
    amount_cents: int
    currency: str
    expires_at: datetime
    state: SandboxState
    event_id: str | None  # the webhook event that told the app how it closed
    completed_at: datetime | None


def payment_view(payment: Payment) -> PaymentView:
    return PaymentView(
        id=payment.id,
        booking_id=payment.booking_id,
        method=payment.method,
        state=payment.state,
        amount=payment.amount.amount,
        currency=payment.amount.currency,
        checkout_id=payment.checkout_id,
        payment_url=payment.payment_url,
        pay_by=payment.pay_by,
        reference=payment.reference,
        recorded_by=payment.recorded_by,
        created_at=payment.created_at,
        updated_at=payment.updated_at,
    )


def booking_payment_view(balance: Balance, held: bool) -> BookingPaymentView:
    # Once the hold is over its checkout leads nowhere: the link shows only while held.
    checkout = balance.open_checkout if held else None
    return BookingPaymentView(
        status=balance.status,
        price=balance.price.amount,
        amount_paid=balance.paid.amount,
        amount_due=balance.due.amount,
        refund_due=balance.refund_due.amount,
        currency=balance.price.currency,
        payment_url=None if checkout is None else checkout.payment_url,
        pay_by=None if checkout is None else checkout.pay_by,
    )
