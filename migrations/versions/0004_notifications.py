"""notifications: the transactional outbox of email and SMS messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 10:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py, with the
same conventions as the revisions before it: names spelled out (op.f) as the naming convention
produces them, UtcDateTime stored as DateTime(timezone=True), JsonObject as JSON with JSONB on
PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_OBJECT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("recipient_address", sa.String(length=254), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=True),
        sa.Column("data", JSON_OBJECT, nullable=False),
        # No foreign key: "user:<id>", "announcement:<id>", ... name records of any context.
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.CheckConstraint(
            "state IN ('queued', 'sending', 'sent', 'failed')",
            name=op.f("ck_notifications_state_known"),
        ),
        sa.CheckConstraint(
            "channel IN ('email', 'sms')", name=op.f("ck_notifications_channel_known")
        ),
        sa.CheckConstraint(
            "(state = 'sending') = (claimed_until IS NOT NULL)",
            name=op.f("ck_notifications_lease_when_sending"),
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_notifications_attempts_not_negative")),
    )
    # The relay asks what is queued and due, oldest first, and whose lease has run out (only
    # `sending` rows have a claimed_until); the convention names an index by its first column.
    op.create_index(op.f("ix_notifications_state"), "notifications", ["state", "next_attempt_at"])
    op.create_index(op.f("ix_notifications_claimed_until"), "notifications", ["claimed_until"])
    op.create_index(op.f("ix_notifications_source"), "notifications", ["source"])


def downgrade() -> None:
    op.drop_table("notifications")
