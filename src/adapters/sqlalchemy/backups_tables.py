"""The tables of backups and of the student-directory sync, on the one MetaData of tables.py."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Uuid,
)

from adapters.sqlalchemy.tables import metadata
from adapters.sqlalchemy.types import JsonList, JsonObject, UtcDateTime

# One row per backup; its id is the id of the job that writes it (no foreign key: a job record
# may be pruned long before the backup it made).
backups = Table(
    "backups",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("trigger", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("storage_key", Text()),
    Column("size_bytes", BigInteger()),
    Column("sha256", String(64)),
    Column("schema_revision", String(32)),
    Column("row_counts", JsonObject),
    Column("error", Text()),
    Column("created_by", Uuid()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Index(None, "created_at"),
    CheckConstraint("trigger IN ('manual', 'scheduled', 'cli')", name="trigger_known"),
    CheckConstraint("state IN ('running', 'succeeded', 'failed')", name="state_known"),
)

# One row per directory sync run, with its report; its id is its job's.
sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("source", String(10), nullable=False),
    Column("dry_run", Boolean(), nullable=False),
    Column("state", String(10), nullable=False),
    Column("created", Integer(), nullable=False),
    Column("updated", Integer(), nullable=False),
    Column("unchanged", Integer(), nullable=False),
    Column("deactivated", Integer(), nullable=False),
    Column("errors", JsonList, nullable=False),
    # What the run changed (or, dry, would change): one entry per resident touched.
    Column("changes", JsonList, nullable=False),
    Column("failure", Text()),
    Column("created_by", Uuid()),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    Index(None, "created_at"),
    CheckConstraint("state IN ('running', 'succeeded', 'failed')", name="state_known"),
)

# How many sync runs in a row missed each resident; `last_run_id` makes counting idempotent (a
# run delivered twice counts once).
directory_absences = Table(
    "directory_absences",
    metadata,
    Column(
        "resident_id",
        Uuid(),
        ForeignKey("residents.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("missed_runs", Integer(), nullable=False),
    Column("last_run_id", Uuid(), nullable=False),
)
