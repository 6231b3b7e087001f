"""closures: a bed, room or building out of use for a date range

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24 07:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/bookings/tables.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closures",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("target", sa.String(length=10), nullable=False),
        sa.Column("target_id", sa.Uuid(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_closures_half_open_range")),
        sa.CheckConstraint(
            "target IN ('bed', 'room', 'building')", name=op.f("ck_closures_target_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closures")),
    )
    op.create_index(op.f("ix_closures_target_id"), "closures", ["target_id", "starts_on"])
    op.create_index(op.f("ix_closures_ends_on"), "closures", ["ends_on", "starts_on"])


def downgrade() -> None:
    op.drop_table("closures")
