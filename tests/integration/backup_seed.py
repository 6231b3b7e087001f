"""A database with every kind of record, for the restore drill: the demo campus through its
use case, then rows written straight into every other table, with the values that are hardest
to carry across engines (aware datetimes with microseconds, dates, UUIDs, nested JSON, bytes
with NUL, non-ASCII text, NULLs and booleans)."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy import backups_tables as bt
from adapters.sqlalchemy import tables as t
from adapters.sqlalchemy.bookings import tables as bkt
from adapters.sqlalchemy.maintenance import tables as mt
from adapters.sqlalchemy.payments import tables as pt
from application.housing.commands import SeedDemoCampusCommand
from entrypoints.container import Container
from entrypoints.settings import Settings

WHEN = datetime(2026, 10, 3, 14, 5, 6, 789012, tzinfo=UTC)


async def _first(engine: AsyncEngine, table: Table) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(select(table).order_by(*table.primary_key))).first()


def _rows(
    user_id: UUID, resident: Any, bed: Any, term: Any, room: Any
) -> dict[Table, list[dict[str, Any]]]:
    import_id, job_id, announcement_id = uuid4(), uuid4(), uuid4()
    booking_id, request_id, schedule_id = uuid4(), uuid4(), uuid4()
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
                "id": booking_id,
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
        bt.backups: [
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
        bt.sync_runs: [
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
        bt.directory_absences: [
            {"resident_id": resident.id, "missed_runs": 2, "last_run_id": uuid4()},
        ],
        t.import_rejected_rows: [
            {
                "import_id": import_id,
                "line": 3,
                "cells": ["000124", "Zoë", None, "=cmd|' /C calc'!A0", ""],
                "error": "email: not an email ✗",
            },
        ],
        t.schedule_claims: [
            {
                "schedule_id": "maintenance.generate",
                "slot": WHEN.replace(microsecond=0),
                "claimed_by": "worker-1:4242",
            },
        ],
        bkt.closures: [
            {
                "id": uuid4(),
                "target": "bed",
                "target_id": bed.id,
                "starts_on": date(2028, 2, 28),
                "ends_on": date(2028, 3, 1),
                "reason": "Schimmel im Bad — Sanierung",
                "created_by": user_id,
                "created_at": WHEN,
            },
        ],
        pt.payments: [
            {
                "id": uuid4(),
                "booking_id": booking_id,
                "method": "gateway",
                "state": "pending",
                "amount_cents": 123_456_789_012,
                "currency": "EUR",
                "checkout_id": "chk_ü1",
                "payment_url": "https://pay.example/chk_%C3%BC1?a=1&b=2",
                "pay_by": WHEN + timedelta(hours=48),
                "reference": None,
                "recorded_by": None,
                "created_at": WHEN,
                "updated_at": None,
            },
            {
                "id": uuid4(),
                "booking_id": booking_id,
                "method": "cash",
                "state": "refunded",
                "amount_cents": 0,
                "currency": "JPY",
                "checkout_id": None,
                "payment_url": None,
                "pay_by": None,
                "reference": "Quittung Nr. 7 — Kasse",
                "recorded_by": user_id,
                "created_at": WHEN,
                "updated_at": WHEN + timedelta(microseconds=1),
            },
        ],
        pt.payment_events: [
            {
                "event_id": "evt_1",
                "kind": "checkout.completed",
                "booking_id": uuid4(),
                "checkout_id": "chk_ü1",
                "amount_cents": 123_456_789_012,
                "currency": "EUR",
                "occurred_at": WHEN - timedelta(microseconds=1),
                "received_at": WHEN,
            },
        ],
        pt.payment_reminders: [{"booking_id": booking_id, "sent_at": WHEN}],
        pt.sandbox_checkouts: [
            {
                "id": "chk_ü1",
                "booking_id": booking_id,
                "amount_cents": 123_456_789_012,
                "currency": "EUR",
                "expires_at": WHEN + timedelta(hours=1),
                "state": "paid",
                "event_id": "evt_1",
                "completed_at": WHEN,
                "created_at": WHEN,
            },
            {
                "id": "chk_2",
                "booking_id": booking_id,
                "amount_cents": 1,
                "currency": "EUR",
                "expires_at": WHEN,
                "state": "open",
                "event_id": None,
                "completed_at": None,
                "created_at": WHEN,
            },
        ],
        mt.maintenance_technicians: [
            {
                "user_id": user_id,
                "name": "Łukasz Ørsted",
                "skills": ["plumbing", "heating"],
                "active": True,
                **stamps,
            },
        ],
        mt.maintenance_schedules: [
            {
                "id": schedule_id,
                "title": "Boiler service ♨",
                "category": "heating",
                "priority": "routine",
                "building_id": room.building_id,
                "room_id": room.id,
                "every": None,
                "unit": None,
                "cron": "0 6 1 */3 *",
                "starts_on": date(2024, 2, 29),
                "lead_days": 365,
                "estimated_cost_cents": 9_999_999_999,
                "estimated_currency": "GBP",
                "paused": False,
                "created_by": user_id,
                **stamps,
            },
            {
                "id": uuid4(),
                "title": "Filter",
                "category": "other",
                "priority": "low",
                "building_id": room.building_id,
                "room_id": None,
                "every": 2,
                "unit": "weeks",
                "cron": None,
                "starts_on": date(2026, 1, 1),
                "lead_days": 0,
                "estimated_cost_cents": None,
                "estimated_currency": None,
                "paused": True,
                "created_by": None,
                **stamps,
            },
        ],
        mt.maintenance_requests: [
            {
                "id": request_id,
                "state": "closed",
                "category": "plumbing",
                "priority": "emergency",
                "description": "Wasser tropft 💧\nunder the sink",
                "building_id": room.building_id,
                "room_id": room.id,
                "resident_id": resident.id,
                "submitted_by": user_id,
                "permission_to_enter": True,
                "preferred_times": "Mo-Fr früh, 9-12",
                "technician_id": user_id,
                "submitted_at": WHEN - timedelta(days=2),
                "triaged_at": WHEN - timedelta(days=2, microseconds=-1),
                "due_at": WHEN - timedelta(days=1),
                "overdue": True,
                "escalation_level": 3,
                "estimated_cost_cents": 12_000,
                "estimated_currency": "EUR",
                "labour_centihours": 125,
                "parts": [{"name": "Dichtung", "cost_cents": 350, "qty": 2}],
                "actual_cost_cents": 12_700,
                "actual_currency": "EUR",
                "resolution_note": "Replaced washer",
                "resolved_at": WHEN - timedelta(hours=1),
                "closed_at": WHEN,
                "rating": 5,
                "schedule_id": schedule_id,
                "occurrence_date": date(2026, 10, 1),
                "job_id": job_id,
                **stamps,
            },
            {
                "id": uuid4(),
                "state": "submitted",
                "category": "internet",
                "priority": "low",
                "description": "Wi-Fi",
                "building_id": room.building_id,
                "room_id": None,
                "resident_id": None,
                "submitted_by": None,
                "permission_to_enter": False,
                "preferred_times": None,
                "technician_id": None,
                "submitted_at": WHEN,
                "triaged_at": None,
                "due_at": None,
                "overdue": False,
                "escalation_level": 0,
                "estimated_cost_cents": None,
                "estimated_currency": None,
                "labour_centihours": None,
                "parts": None,
                "actual_cost_cents": None,
                "actual_currency": None,
                "resolution_note": None,
                "resolved_at": None,
                "closed_at": None,
                "rating": None,
                "schedule_id": None,
                "occurrence_date": None,
                "job_id": None,
                **stamps,
            },
        ],
        mt.maintenance_request_history: [
            {
                "id": 1,
                "request_id": request_id,
                "action": "submit",
                "from_state": None,
                "to_state": "submitted",
                "at": WHEN - timedelta(days=2),
                "actor_id": user_id,
                "note": None,
            },
            {
                "id": 2,
                "request_id": request_id,
                "action": "close",
                "from_state": "resolved",
                "to_state": "closed",
                "at": WHEN,
                "actor_id": None,
                "note": "Danke ✓",
            },
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
    async with engine.connect() as connection:
        room = (await connection.execute(select(t.rooms).where(t.rooms.c.id == bed.room_id))).one()
    async with engine.begin() as connection:
        await connection.execute(
            t.residents.update()
            .where(t.residents.c.id == resident.id)
            .values(locked_fields=["email"], date_of_birth=date(2004, 2, 29), phone=None)
        )
        for table, rows in _rows(uuid4(), resident, bed, term, room).items():
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
