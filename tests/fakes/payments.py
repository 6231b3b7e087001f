"""In-memory fakes of the payments ports, by the rules of the SQL adapters."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

import msgspec

from application.payments.ports import Checkout, CheckoutRequest
from application.payments.views import SandboxCheckoutView, SandboxState
from application.shared.ports import Clock
from domain.bookings.billing import Payment, PaymentState
from domain.bookings.model import Booking, BookingState
from domain.bookings.payments import PaymentEvent
from domain.shared.errors import Conflict
from domain.shared.money import Money
from tests.fakes.housing import InMemoryHousingStore

SANDBOX_PAGE = "https://residence.example/payments/sandbox"


@dataclass
class PaymentTables:
    """The payments rows of one bookings store; a unit of work works on a copy."""

    payments: dict[UUID, Payment] = field(default_factory=dict)
    events: dict[str, PaymentEvent] = field(default_factory=dict)
    reminders: dict[UUID, datetime] = field(default_factory=dict)

    def copy(self) -> "PaymentTables":
        return PaymentTables(dict(self.payments), dict(self.events), dict(self.reminders))


class InMemoryPaymentRepository:
    def __init__(self, tables: PaymentTables, bookings: dict[UUID, Booking]) -> None:
        self._tables = tables
        self._bookings = bookings

    async def add(self, payment: Payment) -> None:
        rows = self._tables.payments
        if payment.id in rows:
            raise Conflict("id is already taken", field="id")
        if payment.checkout_id is not None and any(
            other.checkout_id == payment.checkout_id for other in rows.values()
        ):
            raise Conflict("checkout_id is already taken", field="checkout_id")
        rows[payment.id] = payment

    async def update_from(self, payment: Payment, expected: PaymentState) -> bool:
        stored = self._tables.payments.get(payment.id)
        if stored is None or stored.state is not expected:
            return False
        self._tables.payments[payment.id] = payment
        return True

    async def by_checkout(self, checkout_id: str) -> Payment | None:
        rows = self._tables.payments.values()
        return next((p for p in rows if p.checkout_id == checkout_id), None)

    async def of_booking(self, booking_id: UUID) -> list[Payment]:
        found = [p for p in self._tables.payments.values() if p.booking_id == booking_id]
        return sorted(found, key=lambda p: (p.created_at, p.id))

    async def event_applied(self, event_id: str) -> bool:
        return event_id in self._tables.events

    async def record_event(self, event: PaymentEvent, received_at: datetime) -> bool:
        if event.event_id in self._tables.events:
            return False
        self._tables.events[event.event_id] = event
        return True

    async def remind_once(self, booking_id: UUID, sent_at: datetime) -> bool:
        if booking_id in self._tables.reminders:
            return False
        self._tables.reminders[booking_id] = sent_at
        return True

    async def holds_to_remind(self, now: datetime, until: datetime, limit: int) -> list[UUID]:
        due = [
            b
            for b in self._bookings.values()
            if b.state is BookingState.HELD
            and b.hold_expires_at is not None
            and now < b.hold_expires_at <= until
            and b.id not in self._tables.reminders
        ]
        return [b.id for b in sorted(due, key=lambda b: (b.hold_expires_at or now, b.id))[:limit]]


class InMemoryPaymentQueries:
    def __init__(self, housing: InMemoryHousingStore) -> None:
        self._housing = housing

    async def nightly_rate(self, bed_id: UUID) -> Money | None:
        bed = self._housing.tables.beds.get(bed_id)
        return None if bed is None else self._housing.tables.rooms[bed.room_id].nightly_rate


class InMemorySandboxGateway:
    """The sandbox gateway's checkouts in a dict; both its ports, like the SQL one."""

    def __init__(self, clock: Clock, page_url: str = SANDBOX_PAGE) -> None:
        self._clock = clock
        self._page_url = page_url
        self.checkouts: dict[str, SandboxCheckoutView] = {}

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        checkout_id = f"cs_{secrets.token_urlsafe(24)}"
        self.checkouts[checkout_id] = SandboxCheckoutView(
            id=checkout_id,
            booking_id=request.booking_id,
            amount_cents=request.amount.cents,
            currency=request.amount.currency,
            expires_at=request.pay_by,
            state=SandboxState.OPEN,
            event_id=None,
            completed_at=None,
        )
        return Checkout(checkout_id=checkout_id, payment_url=f"{self._page_url}/{checkout_id}")

    async def get(self, checkout_id: str) -> SandboxCheckoutView | None:
        return self.checkouts.get(checkout_id)

    async def complete(
        self, checkout_id: str, paid: bool, event_id: str, now: datetime
    ) -> SandboxCheckoutView | None:
        checkout = self.checkouts.get(checkout_id)
        if checkout is not None and checkout.state is SandboxState.OPEN:
            state = SandboxState.PAID if paid else SandboxState.DECLINED
            closed = msgspec.structs.replace(
                checkout, state=state, event_id=event_id, completed_at=now
            )
            self.checkouts[checkout_id] = closed
        return self.checkouts.get(checkout_id)
