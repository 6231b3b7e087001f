"""A database with every kind of record, for the restore drill: the demo campus through its
use case, then rows written straight into every other table, with the values that are hardest
to carry across engines (aware datetimes with microseconds, dates, UUIDs, nested JSON, bytes
with NUL, non-ASCII text, NULLs and booleans)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy import tables as t
from application.housing.commands import SeedDemoCampusCommand
from entrypoints.container import Container
from entrypoints.settings import Settings

WHEN = datetime(2026, 10, 3, 14, 5, 6, 789012, tzinfo=UTC)


async def _first(engine: AsyncEngine, table: Table) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(select(table).order_by(*table.primary_key))).first()


def _rows(user_id: UUID, resident: Any, bed: Any, term: Any) -> dict[Table, list[dict[str, Any]]]:
    import_id, job_id, announcement_id = uuid4(), uuid4(), uuid4()
    stamps = {"created_at": WHEN, "updated_at": WHEN + timedelta(microseconds=1)}
    return {
        t.users: [
            {
                "id": user_id,
                "email": "warden@example.edu",
                "role": "admin",
                "password_hash": "x",
                "resident_id": None,
                "active": True,
                "tokens_valid_after": None,
                **stamps,
            },
            {
                "id": uuid4(),
                "email": "zoë@example.edu",
                "role": "resident",
                "password_hash": "y",
                "resident_id": resident.id,
                "active": False,
                "tokens_valid_after": WHEN,
                **stamps,
            },
        ],
        t.refresh_tokens: [
            {
                "token_hash": "ab" * 32,
                "user_id": user_id,
                "family_id": uuid4(),
                "expires_at": WHEN + timedelta(days=14),
                "revoked_at": None,
                "created_at": WHEN,
            },
        ],
        t.revoked_access_tokens: [{"token_id": "jti-1", "expires_at": WHEN}],
        t.audit_entries: [
            {
                "id": 41,
                "at": WHEN,
                "actor_id": user_id,
                "action": "update",
                "entity": "resident",
                "entity_id": str(resident.id),
                "changed_fields": ["email", "phone"],
            },
        ],
        t.login_failures: [{"key": "address:10.0.0.1", "window_start": WHEN, "failures": 3}],
        t.jobs: [
            {
                "id": job_id,
                "kind": "imports.voters",
                "state": "succeeded",
                "payload": {"file_name": "roll.csv", "nested": {"list": [1, "two", None, True]}},
                "created_by": user_id,
                "processed": 10,
                "total": 10,
                "result": {"created": 10},
                "error": None,
                "attempts": 1,
                "started_at": WHEN,
                "finished_at": WHEN,
                **stamps,
            },
        ],
        t.notifications: [
            {
                "id": uuid4(),
                "kind": "announcement",
                "channel": "email",
                "recipient_address": "ada@example.edu",
                "recipient_name": "Ada Ökafor",
                "data": {"title": "Wasser 💧", "body": "line\nbreak"},
                "source": "announcement:1",
                "state": "queued",
                "attempts": 0,
                "next_attempt_at": WHEN,
                "claimed_until": None,
                "last_error": None,
                "sent_at": None,
                **stamps,
            },
        ],
        t.bookings: [
            {
                "id": uuid4(),
                "resident_id": resident.id,
                "bed_id": bed.id,
                "state": "held",
                "starts_on": term.starts_on,
                "ends_on": term.ends_on,
                "term_id": term.id,
                "requested_bed_id": bed.id,
                "requested_room_id": None,
                "preferred_building_id": None,
                "preferred_room_type": "double",
                "preferred_accessible": False,
                "hold_expires_at": WHEN,
                "waitlisted_at": None,
                "checked_in_on": None,
                "checked_out_on": None,
                "reason": None,
                "requested_at": WHEN,
                "job_id": job_id,
                **stamps,
            },
        ],
        t.announcements: [
            {
                "id": announcement_id,
                "title": "Fire drill",
                "body": "At 10:00",
                "audience": "residents",
                "building_id": None,
                "floor": None,
                "resident_ids": [str(resident.id)],
                "channels": ["email", "sms"],
                "state": "fanned_out",
                "job_id": job_id,
                "created_by": user_id,
                "cursor": resident.id,
                "recipients": 1,
                "messages": 2,
                "skipped": 0,
                "finished_at": WHEN,
                **stamps,
            },
        ],
        t.voters: [
            {
                "student_id": "000123",
                "first_name": "Ada",
                "last_name": None,
                "email": "ada.voter@example.edu",
                "department": "Physics",
                "year": 2,
                "is_eligible": True,
                "created_at": WHEN,
                "updated_at": WHEN,
                "last_import_id": import_id,
            },
        ],
        t.imports: [
            {
                "id": import_id,
                "kind": "voters",
                "mode": "upsert",
                "dry_run": False,
                "default_eligible": True,
                "file_path": "/var/uploads/x.csv",
                "file_name": "x.csv",
                "file_size": 12_345_678_901,
                "file_type": "csv",
                "sha256": "cd" * 32,
                "uploaded_by": user_id,
                "uploader_email": "warden@example.edu",
                "report": {"total_rows": 1},
                "created_at": WHEN,
                "finished_at": None,
            },
        ],
        t.import_chunks: [
            {
                "import_id": import_id,
                "chunk": 0,
                "created": 1,
                "updated": 0,
                "unchanged": 0,
                "skipped": 0,
                "rejected": [{"line": 3, "reason": "duplicate"}],
            },
        ],
        t.import_problems: [
            {
                "id": 7,
                "import_id": import_id,
                "line": 3,
                "column_name": "email",
                "value": "=cmd|' /C calc'!A0",
                "message": "not an email",
            },
        ],
        t.idempotency_keys: [
            {
                "scope": f"bookings:{user_id}",
                "key": "retry-1",
                "fingerprint": "ef" * 32,
                "claimed_at": WHEN,
                "response_status": 202,
                "response_body": b"\x00\x01binary\xff{}",
                **stamps,
            },
        ],
        t.backups: [
            {
                "id": uuid4(),
                "trigger": "scheduled",
                "state": "failed",
                "storage_key": None,
                "size_bytes": None,
                "sha256": None,
                "schema_revision": "0013",
                "row_counts": {"residents": 3},
                "error": "disk full",
                "created_by": None,
                "created_at": WHEN - timedelta(days=1),
                "finished_at": WHEN,
            },
        ],
        t.sync_runs: [
            {
                "id": uuid4(),
                "source": "files",
                "dry_run": True,
                "state": "succeeded",
                "created": 1,
                "updated": 2,
                "unchanged": 3,
                "deactivated": 0,
                "errors": [{"line": 4, "message": "no email"}],
                "changes": [
                    {"student_id": "1", "action": "update", "fields": {"phone": ["a", "b"]}}
                ],
                "failure": None,
                "created_by": user_id,
                "created_at": WHEN,
                "finished_at": WHEN,
            },
        ],
        t.directory_absences: [
            {"resident_id": resident.id, "missed_runs": 2, "last_run_id": uuid4()},
        ],
    }


async def seed_every_table(settings: Settings, engine: AsyncEngine) -> None:
    container = Container(settings=settings)
    try:
        await container.housing.seed_demo_campus()(SeedDemoCampusCommand(residents=40))
    finally:
        await container.engine().dispose()
    resident = await _first(engine, t.residents)
    bed, term = await _first(engine, t.beds), await _first(engine, t.terms)
    async with engine.begin() as connection:
        await connection.execute(
            t.residents.update()
            .where(t.residents.c.id == resident.id)
            .values(locked_fields=["email"], date_of_birth=date(2004, 2, 29), phone=None)
        )
        for table, rows in _rows(uuid4(), resident, bed, term).items():
            await connection.execute(insert(table), rows)


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        return {
            table.name: int(
                (await connection.execute(select(func.count()).select_from(table))).scalar() or 0
            )
            for table in t.metadata.sorted_tables
        }


async def every_row(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as connection:
        return {
            table.name: [
                tuple(row)
                for row in await connection.execute(select(table).order_by(*table.primary_key))
            ]
            for table in t.metadata.sorted_tables
        }
