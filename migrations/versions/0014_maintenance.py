"""maintenance: technicians, requests with their history, preventive schedules

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-24 09:00:00+00:00

Written by hand against adapters/sqlalchemy/maintenance/tables.py. The unique key on
(schedule_id, occurrence_date) is what makes preventive work orders exactly-once: both engines
allow any number of rows where it is NULL (the residents' requests).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
WHEN = sa.DateTime(timezone=True)
STATES = "'submitted', 'assigned', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'"
CATEGORIES = (
    "'plumbing', 'electrical', 'heating', 'appliance', 'furniture', 'locks', 'pest', "
    "'cleaning', 'internet', 'other'"
)
PRIORITIES = "'emergency', 'high', 'routine', 'low'"


def _timestamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
    ]


def _technicians() -> None:
    op.create_table(
        "maintenance_technicians",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("skills", JSON_LIST, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_maintenance_technicians_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_maintenance_technicians")),
    )


def _request_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("building_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=True),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("permission_to_enter", sa.Boolean(), nullable=False),
        sa.Column("preferred_times", sa.String(length=200), nullable=True),
        sa.Column("technician_id", sa.Uuid(), nullable=True),
        sa.Column("submitted_at", WHEN, nullable=False),
        sa.Column("triaged_at", WHEN, nullable=True),
        sa.Column("due_at", WHEN, nullable=True),
        sa.Column("overdue", sa.Boolean(), nullable=False),
        sa.Column("escalation_level", sa.Integer(), nullable=False),
        sa.Column("estimated_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("estimated_currency", sa.String(length=3), nullable=True),
        sa.Column("labour_centihours", sa.Integer(), nullable=True),
        sa.Column("parts", JSON_LIST, nullable=True),
        sa.Column("actual_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("actual_currency", sa.String(length=3), nullable=True),
        sa.Column("resolution_note", sa.Text(), nullable=True),
        sa.Column("resolved_at", WHEN, nullable=True),
        sa.Column("closed_at", WHEN, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("schedule_id", sa.Uuid(), nullable=True),
        sa.Column("occurrence_date", sa.Date(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        *_timestamps(),
    ]


def _requests() -> None:
    table = "maintenance_requests"
    op.create_table(
        table,
        *_request_columns(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_requests")),
        sa.UniqueConstraint(
            "schedule_id",
            "occurrence_date",
            name=op.f("uq_maintenance_requests_schedule_id_occurrence_date"),
        ),
        sa.CheckConstraint(
            f"state IN ({STATES})", name=op.f("ck_maintenance_requests_state_known")
        ),
        sa.CheckConstraint(
            f"category IN ({CATEGORIES})", name=op.f("ck_maintenance_requests_category_known")
        ),
        sa.CheckConstraint(
            f"priority IN ({PRIORITIES})", name=op.f("ck_maintenance_requests_priority_known")
        ),
        sa.CheckConstraint(
            "rating IS NULL OR rating BETWEEN 1 AND 5",
            name=op.f("ck_maintenance_requests_rating_range"),
        ),
        sa.CheckConstraint(
            "escalation_level BETWEEN 0 AND 3",
            name=op.f("ck_maintenance_requests_escalation_range"),
        ),
    )
    for columns in (
        ["state", "due_at"],
        ["technician_id", "state"],
        ["resident_id", "submitted_at"],
        ["submitted_at"],
    ):
        op.create_index(op.f(f"ix_{table}_{columns[0]}"), table, columns)


def _history() -> None:
    op.create_table(
        "maintenance_request_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("from_state", sa.String(length=12), nullable=True),
        sa.Column("to_state", sa.String(length=12), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["maintenance_requests.id"],
            name=op.f("fk_maintenance_request_history_request_id_maintenance_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_request_history")),
    )
    op.create_index(
        op.f("ix_maintenance_request_history_request_id"),
        "maintenance_request_history",
        ["request_id", "id"],
    )


def _schedules() -> None:
    op.create_table(
        "maintenance_schedules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=12), nullable=False),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("building_id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=True),
        sa.Column("every", sa.Integer(), nullable=True),
        sa.Column("unit", sa.String(length=6), nullable=True),
        sa.Column("cron", sa.String(length=100), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("lead_days", sa.Integer(), nullable=False),
        sa.Column("estimated_cost_cents", sa.BigInteger(), nullable=True),
        sa.Column("estimated_currency", sa.String(length=3), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_maintenance_schedules")),
        sa.CheckConstraint(
            "(cron IS NULL) <> (every IS NULL)",
            name=op.f("ck_maintenance_schedules_one_recurrence"),
        ),
        sa.CheckConstraint(
            "lead_days BETWEEN 0 AND 365", name=op.f("ck_maintenance_schedules_lead_days_range")
        ),
    )
    op.create_index(
        op.f("ix_maintenance_schedules_building_id"), "maintenance_schedules", ["building_id"]
    )


def upgrade() -> None:
    _technicians()
    _requests()
    _history()
    _schedules()


def downgrade() -> None:
    op.drop_table("maintenance_schedules")
    op.drop_table("maintenance_request_history")
    op.drop_table("maintenance_requests")
    op.drop_table("maintenance_technicians")
