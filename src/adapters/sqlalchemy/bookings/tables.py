"""The bookings context's tables added after tables.py grew long; tables.py imports this module,
so the one MetaData holds them."""

from sqlalchemy import CheckConstraint, Column, Date, Index, String, Table, Text, Uuid

from adapters.sqlalchemy.tables import metadata
from adapters.sqlalchemy.types import UtcDateTime

# A bed, a room or a building out of use for `[starts_on, ends_on)`. No foreign key on the
# target: it is one of three tables, and the record of a closure outlives a deleted room.
closures = Table(
    "closures",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("target", String(10), nullable=False),
    Column("target_id", Uuid(), nullable=False),
    Column("starts_on", Date(), nullable=False),
    Column("ends_on", Date(), nullable=False),
    Column("reason", Text(), nullable=False),
    # No foreign key: the record outlives the account that placed it.
    Column("created_by", Uuid()),
    Column("created_at", UtcDateTime(), nullable=False),
    # Which closures cover a target, and which are in force on a day or over a stay.
    Index(None, "target_id", "starts_on"),
    Index(None, "ends_on", "starts_on"),
    CheckConstraint("ends_on > starts_on", name="half_open_range"),
    CheckConstraint("target IN ('bed', 'room', 'building')", name="target_known"),
)
