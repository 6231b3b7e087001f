"""schedule_claims: one scheduler per firing, however many schedulers run

Revision ID: 0016
Revises: 0014
Create Date: 2026-11-23 10:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "schedule_claims",
        sa.Column("schedule_id", sa.String(length=100), nullable=False),
        sa.Column("slot", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("schedule_id", "slot", name=op.f("pk_schedule_claims")),
    )
    op.create_index(op.f("ix_schedule_claims_slot"), "schedule_claims", ["slot"])


def downgrade() -> None:
    op.drop_table("schedule_claims")
