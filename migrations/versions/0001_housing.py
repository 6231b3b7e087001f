"""housing: buildings, rooms, beds, residents and terms

Revision ID: 0001
Revises:
Create Date: 2026-11-23 03:58:21+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py. Names are
spelled out (op.f) as the naming convention produces them, so this file does not change meaning
if the convention ever does. Application types are replaced by what they store: UtcDateTime is
DateTime(timezone=True), JsonList is JSON with JSONB on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _timestamps() -> list[sa.Column[object]]:
    # No server default: the application stamps both (adapters.sqlalchemy.types.utc_now).
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "buildings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("floors", sa.Integer(), nullable=False),
        sa.Column("gender_policy", sa.String(length=20), nullable=False),
        sa.Column("amenities", JSON_LIST, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_buildings")),
        sa.UniqueConstraint("code", name=op.f("uq_buildings_code")),
        sa.CheckConstraint("floors BETWEEN 1 AND 200", name=op.f("ck_buildings_floors_range")),
    )
    op.create_table(
        "rooms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("building_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("accessible", sa.Boolean(), nullable=False),
        sa.Column("features", JSON_LIST, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("nightly_rate_cents", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sa.ForeignKeyConstraint(
            ["building_id"], ["buildings.id"], name=op.f("fk_rooms_building_id_buildings")
        ),
        sa.UniqueConstraint("building_id", "number", name=op.f("uq_rooms_building_id_number")),
        sa.CheckConstraint("nightly_rate_cents >= 0", name=op.f("ck_rooms_rate_not_negative")),
    )
    op.create_table(
        "beds",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("room_id", sa.Uuid(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_beds")),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_beds_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.UniqueConstraint("room_id", "label", name=op.f("uq_beds_room_id_label")),
    )
    op.create_table(
        "residents",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("student_id", sa.String(length=32), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("phone", sa.String(length=16), nullable=True),
        sa.Column("gender", sa.String(length=20), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("department", sa.String(length=100), nullable=True),
        sa.Column("year_of_study", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("needs_accessible_room", sa.Boolean(), nullable=False),
        sa.Column("accessibility_notes", sa.Text(), nullable=True),
        sa.Column("emergency_contact_name", sa.String(length=200), nullable=True),
        sa.Column("emergency_contact_phone", sa.String(length=16), nullable=True),
        sa.Column("emergency_contact_relationship", sa.String(length=50), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residents")),
        sa.UniqueConstraint("student_id", name=op.f("uq_residents_student_id")),
        sa.UniqueConstraint("email", name=op.f("uq_residents_email")),
    )
    # The convention names an index after its first column: this one serves the resident list's
    # (last_name, first_name) order.
    op.create_index(op.f("ix_residents_last_name"), "residents", ["last_name", "first_name"])
    op.create_index(op.f("ix_residents_status"), "residents", ["status"])
    op.create_table(
        "terms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terms")),
        sa.UniqueConstraint("name", name=op.f("uq_terms_name")),
        sa.CheckConstraint("ends_on > starts_on", name=op.f("ck_terms_half_open_range")),
    )


def downgrade() -> None:
    # Dependants first; dropping a table drops its indexes and constraints with it.
    op.drop_table("terms")
    op.drop_table("residents")
    op.drop_table("beds")
    op.drop_table("rooms")
    op.drop_table("buildings")
