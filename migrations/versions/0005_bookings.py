"""bookings: a resident's claim on a bed for a stay, with no double booking

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 07:00:00+00:00

The table is written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py.
The rule that two active bookings never overlap on one bed or one resident is written by hand:
autogenerate sees neither exclusion constraints nor triggers. Both engines name the violation
the same way (ex_bookings_bed_stay, ex_bookings_resident_stay), so adapters.sqlalchemy.uow can
turn either into the same 409.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATES = (
    "requested",
    "waitlisted",
    "held",
    "confirmed",
    "checked_in",
    "checked_out",
    "cancelled",
    "expired",
    "rejected",
)
ACTIVE = "('held', 'confirmed', 'checked_in')"
# (constraint name, the column two overlapping active bookings may not share)
NO_OVERLAP = (("ex_bookings_bed_stay", "bed_id"), ("ex_bookings_resident_stay", "resident_id"))


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=False),
        sa.Column("bed_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("term_id", sa.Uuid(), nullable=True),
        sa.Column("requested_bed_id", sa.Uuid(), nullable=True),
        sa.Column("requested_room_id", sa.Uuid(), nullable=True),
        sa.Column("preferred_building_id", sa.Uuid(), nullable=True),
        sa.Column("preferred_room_type", sa.String(length=10), nullable=True),
        sa.Column("preferred_accessible", sa.Boolean(), nullable=True),
        sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("waitlisted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked_in_on", sa.Date(), nullable=True),
        sa.Column("checked_out_on", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_bookings_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(["bed_id"], ["beds.id"], name=op.f("fk_bookings_bed_id_beds")),
        sa.ForeignKeyConstraint(["term_id"], ["terms.id"], name=op.f("fk_bookings_term_id_terms")),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_bookings_half_open_stay")),
        sa.CheckConstraint(
            "state IN (" + ", ".join(f"'{state}'" for state in STATES) + ")",
            name=op.f("ck_bookings_state_known"),
        ),
        sa.CheckConstraint(
            "state NOT IN ('held', 'confirmed', 'checked_in') OR bed_id IS NOT NULL",
            name=op.f("ck_bookings_active_has_bed"),
        ),
        sa.CheckConstraint(
            "state <> 'held' OR hold_expires_at IS NOT NULL",
            name=op.f("ck_bookings_hold_has_deadline"),
        ),
    )
    op.create_index(op.f("ix_bookings_bed_id"), "bookings", ["bed_id", "starts_on"])
    op.create_index(op.f("ix_bookings_resident_id"), "bookings", ["resident_id", "starts_on"])
    op.create_index(op.f("ix_bookings_state"), "bookings", ["state", "waitlisted_at"])
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_exclusions()
    else:
        _sqlite_triggers()


def _postgresql_exclusions() -> None:
    # btree_gist lets a GiST index compare uuids with `=` beside the daterange `&&`.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in NO_OVERLAP:
        op.execute(
            f"ALTER TABLE bookings ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, daterange(starts_on, ends_on) WITH &&) WHERE (state IN {ACTIVE})"
        )


def _sqlite_triggers() -> None:
    # A trigger runs inside the writing statement, which holds SQLite's one write lock, and a
    # transaction whose snapshot is older than the last commit may not write at all (WAL answers
    # it SQLITE_BUSY): so the check sees every committed booking and two writers cannot both pass.
    for event in ("INSERT", "UPDATE"):
        checks = "\n".join(
            f"    SELECT RAISE(ABORT, '{name}: an active booking already covers these dates')\n"
            f"    WHERE EXISTS (SELECT 1 FROM bookings AS other\n"
            f"        WHERE other.{column} = NEW.{column} AND other.id <> NEW.id\n"
            f"        AND other.state IN {ACTIVE}\n"
            f"        AND other.starts_on < NEW.ends_on AND NEW.starts_on < other.ends_on);"
            for name, column in NO_OVERLAP
        )
        op.execute(
            f"CREATE TRIGGER bookings_no_overlap_{event.lower()} BEFORE {event} ON bookings\n"
            f"WHEN NEW.state IN {ACTIVE}\nBEGIN\n{checks}\nEND"
        )


def downgrade() -> None:
    # Dropping the table drops its constraints and triggers; btree_gist may serve others.
    op.drop_table("bookings")
