"""accounts: users, refresh tokens, revoked access tokens, audit trail, login failures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:00:00+00:00

Written from autogenerate and reviewed by hand against adapters/sqlalchemy/tables.py, with the
same conventions as 0001: names spelled out (op.f) as the naming convention produces them,
UtcDateTime stored as DateTime(timezone=True), JsonList as JSON with JSONB on PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_LIST = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# SQLite autoincrements only a column declared INTEGER PRIMARY KEY.
AUDIT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("resident_id", sa.Uuid(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("tokens_valid_after", sa.DateTime(timezone=True), nullable=True),
        # No server default: the application stamps both (adapters.sqlalchemy.types.utc_now).
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_users_resident_id_residents"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("resident_id", name=op.f("uq_users_resident_id")),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_tokens")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_refresh_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"])
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"])
    op.create_table(
        "revoked_access_tokens",
        sa.Column("token_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_revoked_access_tokens")),
    )
    op.create_table(
        "audit_entries",
        sa.Column("id", AUDIT_ID, autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        # No foreign key: the trail must outlive the accounts it names.
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("changed_fields", JSON_LIST, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    # The convention names an index after its first column: these two serve "newest first"
    # within one entity and within one actor.
    op.create_index(op.f("ix_audit_entries_entity"), "audit_entries", ["entity", "at"])
    op.create_index(op.f("ix_audit_entries_actor_id"), "audit_entries", ["actor_id", "at"])
    op.create_index(op.f("ix_audit_entries_at"), "audit_entries", ["at"])
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_login_failures")),
    )


def downgrade() -> None:
    # Dependants first; dropping a table drops its indexes and constraints with it.
    op.drop_table("login_failures")
    op.drop_table("audit_entries")
    op.drop_table("revoked_access_tokens")
    op.drop_table("refresh_tokens")
    op.drop_table("users")
