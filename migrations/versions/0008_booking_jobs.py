"""bookings.job_id: the job that reports a request's allocation

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 08:30:00+00:00

Written by hand. A plain ADD COLUMN on both engines: a batch (copy-and-move) migration on
SQLite would drop the no-overlap triggers of 0005 with the old table.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("bookings", sa.Column("job_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    # SQLite 3.35 and later drop a column in place, leaving the triggers alone.
    op.drop_column("bookings", "job_id")
