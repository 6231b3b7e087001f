"""import rejected rows, header and sheet, import resumes, job phase

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 08:00:00+00:00

Written by hand against adapters/sqlalchemy/tables.py. Plain ADD COLUMN on both engines (a
batch copy-and-move on SQLite is not needed for nullable or defaulted columns).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.add_column("imports", sa.Column("sheet", sa.String(length=255), nullable=True))
    op.add_column("imports", sa.Column("header", JSON_LIST, nullable=True))
    op.add_column("imports", sa.Column("resumes", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("imports", sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("jobs", sa.Column("phase", sa.String(length=20), nullable=True))
    op.create_table(
        "import_rejected_rows",
        sa.Column("import_id", sa.Uuid(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("cells", JSON_LIST, nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["imports.id"],
            name=op.f("fk_import_rejected_rows_import_id_imports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "line", name=op.f("pk_import_rejected_rows")),
    )


def downgrade() -> None:
    op.drop_table("import_rejected_rows")
    # SQLite 3.35 and later drop a column in place.
    op.drop_column("jobs", "phase")
    op.drop_column("imports", "resumed_at")
    op.drop_column("imports", "resumes")
    op.drop_column("imports", "header")
    op.drop_column("imports", "sheet")
