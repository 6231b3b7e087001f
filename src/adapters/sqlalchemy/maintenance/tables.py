"""The maintenance tables, on the one MetaData of adapters.sqlalchemy.tables (which imports
this module, so that migrations and autogenerate see them)."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)

from adapters.sqlalchemy.tables import metadata, timestamp_columns
from adapters.sqlalchemy.types import JsonList, UtcDateTime
from domain.maintenance.model import Category, Priority, RequestState


def _one_of(column: str, values: type[Category] | type[Priority] | type[RequestState]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value.value}'" for value in values) + ")"


maintenance_technicians = Table(
    "maintenance_technicians",
    metadata,
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("skills", JsonList, nullable=False),
    Column("active", Boolean(), nullable=False),
    *timestamp_columns(),
)

# Requests and preventive work orders. No foreign keys to housing or accounts: a request's
# record outlives the room, the resident and the technician it names.
maintenance_requests = Table(
    "maintenance_requests",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("state", String(12), nullable=False),
    Column("category", String(12), nullable=False),
    Column("priority", String(10), nullable=False),
    Column("description", Text(), nullable=False),
    Column("building_id", Uuid(), nullable=False),
    Column("room_id", Uuid()),
    Column("resident_id", Uuid()),
    Column("submitted_by", Uuid()),
    Column("permission_to_enter", Boolean(), nullable=False),
    Column("preferred_times", String(200)),
    Column("technician_id", Uuid()),
    Column("submitted_at", UtcDateTime(), nullable=False),
    Column("triaged_at", UtcDateTime()),
    Column("due_at", UtcDateTime()),
    Column("overdue", Boolean(), nullable=False),
    Column("escalation_level", Integer(), nullable=False),
    # Money as integer cents with its currency, exact on both engines.
    Column("estimated_cost_cents", BigInteger()),
    Column("estimated_currency", String(3)),
    # Labour in hundredths of an hour: exact, and SQLite has no true decimal type.
    Column("labour_centihours", Integer()),
    Column("parts", JsonList),
    Column("actual_cost_cents", BigInteger()),
    Column("actual_currency", String(3)),
    Column("resolution_note", Text()),
    Column("resolved_at", UtcDateTime()),
    Column("closed_at", UtcDateTime()),
    Column("rating", Integer()),
    Column("schedule_id", Uuid()),
    Column("occurrence_date", Date()),
    Column("job_id", Uuid()),
    *timestamp_columns(),
    # One work order per occurrence of a schedule, however many generators run at once.
    UniqueConstraint("schedule_id", "occurrence_date"),
    Index(None, "state", "due_at"),
    Index(None, "technician_id", "state"),
    Index(None, "resident_id", "submitted_at"),
    Index(None, "submitted_at"),
    CheckConstraint(_one_of("state", RequestState), name="state_known"),
    CheckConstraint(_one_of("category", Category), name="category_known"),
    CheckConstraint(_one_of("priority", Priority), name="priority_known"),
    CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
    CheckConstraint("escalation_level BETWEEN 0 AND 3", name="escalation_range"),
)

maintenance_request_history = Table(
    "maintenance_request_history",
    metadata,
    # A sequence, not a UUID: entries recorded in the same instant keep their order.
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column(
        "request_id",
        Uuid(),
        ForeignKey("maintenance_requests.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("action", String(20), nullable=False),
    Column("from_state", String(12)),
    Column("to_state", String(12), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor_id", Uuid()),
    Column("note", Text()),
    Index(None, "request_id", "id"),
)

maintenance_schedules = Table(
    "maintenance_schedules",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("category", String(12), nullable=False),
    Column("priority", String(10), nullable=False),
    Column("building_id", Uuid(), nullable=False),
    Column("room_id", Uuid()),
    # Every N days, weeks or months from starts_on; or a cron expression.
    Column("every", Integer()),
    Column("unit", String(6)),
    Column("cron", String(100)),
    Column("starts_on", Date(), nullable=False),
    Column("lead_days", Integer(), nullable=False),
    Column("estimated_cost_cents", BigInteger()),
    Column("estimated_currency", String(3)),
    Column("paused", Boolean(), nullable=False),
    Column("created_by", Uuid()),
    *timestamp_columns(),
    Index(None, "building_id"),
    CheckConstraint("(cron IS NULL) <> (every IS NULL)", name="one_recurrence"),
    CheckConstraint("lead_days BETWEEN 0 AND 365", name="lead_days_range"),
)
