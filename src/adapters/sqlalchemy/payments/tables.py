"""The payments tables (migration 0011), kept apart from tables.py, which imports this module
so that its one MetaData holds them."""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    Uuid,
)

from adapters.sqlalchemy.tables import metadata
from adapters.sqlalchemy.types import UtcDateTime

PAYMENT_METHODS = ("gateway", "cash", "card", "bank_transfer")
PAYMENT_STATES = ("pending", "succeeded", "failed", "refund_due", "refunded")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


payments = Table(
    "payments",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("booking_id", Uuid(), ForeignKey("bookings.id"), nullable=False),
    Column("method", String(16), nullable=False),
    Column("state", String(12), nullable=False),
    # Integer cents: exact on both engines.
    Column("amount_cents", BigInteger(), nullable=False),
    Column("currency", String(3), nullable=False),
    # The gateway's checkout: one payment each (NULLs, the office's payments, never clash).
    Column("checkout_id", String(100), unique=True),
    Column("payment_url", Text()),
    Column("pay_by", UtcDateTime()),
    Column("reference", String(200)),
    # No foreign key: the office user may be deleted long before the payment's history is.
    Column("recorded_by", Uuid()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime()),
    Index(None, "booking_id", "created_at"),
    CheckConstraint(_one_of("method", PAYMENT_METHODS), name="method_known"),
    CheckConstraint(_one_of("state", PAYMENT_STATES), name="state_known"),
    CheckConstraint("amount_cents >= 0", name="amount_not_negative"),
)

# Every gateway event applied, by the gateway's own id: a second delivery finds its row.
payment_events = Table(
    "payment_events",
    metadata,
    Column("event_id", String(100), primary_key=True),
    Column("kind", String(32), nullable=False),
    # No foreign key: an event may name a booking the app does not know; it is kept all the same.
    Column("booking_id", Uuid(), nullable=False),
    Column("checkout_id", String(100)),
    Column("amount_cents", BigInteger(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("occurred_at", UtcDateTime(), nullable=False),
    Column("received_at", UtcDateTime(), nullable=False),
    Index(None, "booking_id"),
)

# The reminder that a hold runs out soon goes once per booking: its row says it went.
payment_reminders = Table(
    "payment_reminders",
    metadata,
    Column("booking_id", Uuid(), ForeignKey("bookings.id"), primary_key=True),
    Column("sent_at", UtcDateTime(), nullable=False),
)

# The sandbox gateway's own records, as a real gateway would keep them on its side: no foreign
# key to the app's tables.
sandbox_checkouts = Table(
    "sandbox_checkouts",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("booking_id", Uuid(), nullable=False),
    Column("amount_cents", BigInteger(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("state", String(10), nullable=False),
    Column("event_id", String(100)),
    Column("completed_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False),
    CheckConstraint("state IN ('open', 'paid', 'declined')", name="state_known"),
    CheckConstraint("(state = 'open') = (event_id IS NULL)", name="closed_has_event"),
)
