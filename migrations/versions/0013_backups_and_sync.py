"""backups, directory sync runs and absences, residents' locked fields

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 09:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/backups_tables.py.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
JSON_OBJECT = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    # The server default fills the rows that exist (and lets SQLite add the column in place).
    with op.batch_alter_table("residents") as residents:
        residents.add_column(
            sa.Column("locked_fields", JSON_LIST, nullable=False, server_default=sa.text("'[]'"))
        )
    op.create_table(
        "backups",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("trigger", sa.String(length=10), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("storage_key", sa.Text(), nullable=True),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("schema_revision", sa.String(length=32), nullable=True),
        sa.Column("row_counts", JSON_OBJECT, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "trigger IN ('manual', 'scheduled', 'cli')", name=op.f("ck_backups_trigger_known")
        ),
        sa.CheckConstraint(
            "state IN ('running', 'succeeded', 'failed')", name=op.f("ck_backups_state_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backups")),
    )
    op.create_index(op.f("ix_backups_created_at"), "backups", ["created_at"])
    op.create_table(
        "sync_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("deactivated", sa.Integer(), nullable=False),
        sa.Column("errors", JSON_LIST, nullable=False),
        sa.Column("changes", JSON_LIST, nullable=False),
        sa.Column("failure", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("finished_at", WHEN, nullable=True),
        sa.CheckConstraint(
            "state IN ('running', 'succeeded', 'failed')", name=op.f("ck_sync_runs_state_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_runs")),
    )
    op.create_index(op.f("ix_sync_runs_created_at"), "sync_runs", ["created_at"])
    op.create_table(
        "directory_absences",
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("missed_runs", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_directory_absences_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_directory_absences")),
    )


def downgrade() -> None:
    op.drop_table("directory_absences")
    op.drop_index(op.f("ix_sync_runs_created_at"), table_name="sync_runs")
    op.drop_table("sync_runs")
    op.drop_index(op.f("ix_backups_created_at"), table_name="backups")
    op.drop_table("backups")
    with op.batch_alter_table("residents") as residents:
        residents.drop_column("locked_fields")
