"""What the payments use cases need from the outside world: the gateway, the stored payments
and the webhook events already applied."""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from application.payments.views import SandboxCheckoutView
from domain.bookings.billing import Payment, PaymentState
from domain.bookings.payments import PaymentEvent
from domain.shared.money import Money


@dataclass(frozen=True, slots=True)
class CheckoutRequest:
    booking_id: UUID
    amount: Money
    pay_by: datetime  # the hold's deadline: the checkout closes then


@dataclass(frozen=True, slots=True)
class Checkout:
    checkout_id: str  # the gateway's id, unguessable: it is all the payment page needs
    payment_url: str


class PaymentGateway(Protocol):
    """Where residents pay online. The gateway tells the app the outcome later, by a signed
    webhook (POST /api/payments/webhook), never in this call's answer."""

    async def create_checkout(self, request: CheckoutRequest) -> Checkout: ...


class PaymentRepository(Protocol):
    """Payments, applied webhook events and hold reminders, inside a bookings unit of work."""

    async def add(self, payment: Payment) -> None: ...

    async def update_from(self, payment: Payment, expected: PaymentState) -> bool:
        """Stores the payment only if the stored one is still in state `expected`."""
        ...

    async def by_checkout(self, checkout_id: str) -> Payment | None: ...

    async def of_booking(self, booking_id: UUID) -> list[Payment]:
        """The booking's payments, the oldest first (ties by id)."""
        ...

    async def event_applied(self, event_id: str) -> bool: ...

    async def record_event(self, event: PaymentEvent, received_at: datetime) -> bool:
        """Records a gateway event as applied; False, and nothing recorded, when an event with
        the same id was recorded before (the gateway's event id is the key)."""
        ...

    async def remind_once(self, booking_id: UUID, sent_at: datetime) -> bool:
        """Records that the booking's hold reminder was sent; False when it had been."""
        ...

    async def holds_to_remind(self, now: datetime, until: datetime, limit: int) -> list[UUID]:
        """The ids of held bookings whose deadline is after `now` and at or before `until`, with no
        reminder recorded, the earliest deadline first."""
        ...


class PaymentQueries(Protocol):
    """Facts read from committed data, outside any unit of work."""

    async def nightly_rate(self, bed_id: UUID) -> Money | None:
        """The nightly rate of the bed's room; None for an unknown bed."""
        ...


class SandboxCheckouts(Protocol):
    """The checkouts the sandbox gateway keeps, as its checkout page reads and completes them."""

    async def get(self, checkout_id: str) -> SandboxCheckoutView | None: ...

    async def complete(
        self, checkout_id: str, paid: bool, event_id: str, now: datetime
    ) -> SandboxCheckoutView | None:
        """Closes an open checkout as paid or declined, with the id of the event that tells of
        it; a checkout already closed stays as it is. Returns the checkout as stored after."""
        ...
