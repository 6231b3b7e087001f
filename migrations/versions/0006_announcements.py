"""announcements, and residents' contact preferences

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 07:10:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py. Existing
residents keep receiving email (opted in) and receive no SMS until they opt in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # The server defaults fill the rows that exist (and let SQLite add the columns in place).
    with op.batch_alter_table("residents") as residents:
        residents.add_column(
            sa.Column("email_opt_in", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        residents.add_column(
            sa.Column("sms_opt_in", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    op.create_table(
        "announcements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("audience", sa.String(length=20), nullable=False),
        sa.Column("building_id", sa.Uuid(), nullable=True),
        sa.Column("floor", sa.Integer(), nullable=True),
        sa.Column("resident_ids", JSON_LIST, nullable=False),
        sa.Column("channels", JSON_LIST, nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("cursor", sa.Uuid(), nullable=True),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_announcements")),
        sa.CheckConstraint(
            "audience IN ('all_residents', 'building', 'floor', 'residents')",
            name=op.f("ck_announcements_audience_known"),
        ),
        sa.CheckConstraint(
            "state IN ('fanning_out', 'fanned_out')", name=op.f("ck_announcements_state_known")
        ),
    )
    op.create_index(op.f("ix_announcements_created_at"), "announcements", ["created_at"])
    op.create_index(op.f("ix_announcements_state"), "announcements", ["state"])


def downgrade() -> None:
    op.drop_table("announcements")
    with op.batch_alter_table("residents") as residents:
        residents.drop_column("sms_opt_in")
        residents.drop_column("email_opt_in")
