"""payments, payment_events, payment_reminders and the sandbox gateway's checkouts

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24 08:00:00+00:00

Written by hand against adapters/sqlalchemy/payments/tables.py. New tables only: the bookings
table (and the no-overlap triggers of 0005 on SQLite) is left as it is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def _payments() -> None:
    op.create_table(
        "payments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("checkout_id", sa.String(length=100), nullable=True),
        sa.Column("payment_url", sa.Text(), nullable=True),
        sa.Column("pay_by", WHEN, nullable=True),
        sa.Column("reference", sa.String(length=200), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_payments_booking_id_bookings")
        ),
        sa.UniqueConstraint("checkout_id", name=op.f("uq_payments_checkout_id")),
        sa.CheckConstraint(
            "method IN ('gateway', 'cash', 'card', 'bank_transfer')",
            name=op.f("ck_payments_method_known"),
        ),
        sa.CheckConstraint(
            "state IN ('pending', 'succeeded', 'failed', 'refund_due', 'refunded')",
            name=op.f("ck_payments_state_known"),
        ),
        sa.CheckConstraint("amount_cents >= 0", name=op.f("ck_payments_amount_not_negative")),
    )
    op.create_index(op.f("ix_payments_booking_id"), "payments", ["booking_id", "created_at"])


def _payment_events() -> None:
    op.create_table(
        "payment_events",
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("checkout_id", sa.String(length=100), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("occurred_at", WHEN, nullable=False),
        sa.Column("received_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_payment_events")),
    )
    op.create_index(op.f("ix_payment_events_booking_id"), "payment_events", ["booking_id"])


def _payment_reminders() -> None:
    op.create_table(
        "payment_reminders",
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("sent_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("booking_id", name=op.f("pk_payment_reminders")),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"], name=op.f("fk_payment_reminders_booking_id_bookings")
        ),
    )


def _sandbox_checkouts() -> None:
    op.create_table(
        "sandbox_checkouts",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("booking_id", sa.Uuid(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=True),
        sa.Column("completed_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sandbox_checkouts")),
        sa.CheckConstraint(
            "state IN ('open', 'paid', 'declined')", name=op.f("ck_sandbox_checkouts_state_known")
        ),
        sa.CheckConstraint(
            "(state = 'open') = (event_id IS NULL)",
            name=op.f("ck_sandbox_checkouts_closed_has_event"),
        ),
    )


def upgrade() -> None:
    _payments()
    _payment_events()
    _payment_reminders()
    _sandbox_checkouts()


def downgrade() -> None:
    for table in ("sandbox_checkouts", "payment_reminders", "payment_events", "payments"):
        op.drop_table(table)
