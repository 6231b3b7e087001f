"""jobs: background work, its state, progress and outcome

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 09:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py, with the
same conventions as 0001 and 0002: names spelled out (op.f) as the naming convention produces
them, UtcDateTime stored as DateTime(timezone=True), JsonObject as JSON with JSONB on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_OBJECT = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("payload", JSON_OBJECT, nullable=False),
        # No foreign key: a job outlives the account that started it.
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("processed", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=True),
        sa.Column("result", JSON_OBJECT, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
        sa.CheckConstraint(
            "state IN ('queued', 'running', 'succeeded', 'failed')",
            name=op.f("ck_jobs_state_known"),
        ),
        sa.CheckConstraint(
            "processed >= 0 AND (total IS NULL OR processed <= total)",
            name=op.f("ck_jobs_progress_within_total"),
        ),
    )
    # "My jobs, newest first" for a caller who is not the office.
    op.create_index(op.f("ix_jobs_created_by"), "jobs", ["created_by", "created_at"])


def downgrade() -> None:
    op.drop_table("jobs")
