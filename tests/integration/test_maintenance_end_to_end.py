"""A resident's maintenance request end to end in the embedded mode: the app on SQLite with the
in-process broker triages it in the background (deadline, estimate, technician), the emails
land in the outbox folder, the technician resolves it with the actual cost and the resident
closes it, all over HTTP."""

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.migrator import upgrade_to_head
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Resident, Room
from domain.shared.dates import DateRange
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.integration.housing_backends import a_building, a_resident, a_room, saved, sql_backend
from tests.integration.test_imports_end_to_end import _read_mails
from tests.unit.accounts_api import Caller, Json, create_account, session_of

DEADLINE_SECONDS = 30
ADA_EMAIL = "ada.okafor@example.edu"


async def _ok(response: Any, status: int = 200) -> Json:
    assert response.status_code == status, response.text
    return response.json()  # type: ignore[no-any-return]


async def _poll(read: Any, done: Any, what: str) -> Any:
    """Reads until `done(value)`; the in-process broker runs the tasks between reads."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        value = await read()
        if done(value):
            return value
        await asyncio.sleep(0)
    raise AssertionError(f"{what} not done within {DEADLINE_SECONDS} s: {value}")


async def _mails(outbox: Path, subject_start: str, count: int) -> list[EmailMessage]:
    async def read() -> list[EmailMessage]:
        mails = await asyncio.to_thread(_read_mails, outbox)
        return [m for m in mails if str(m["Subject"]).startswith(subject_start)]

    found: list[EmailMessage] = await _poll(read, lambda m: len(m) >= count, subject_start)
    return found


async def _caller(http: Any, role: str, user_id: str | None) -> Caller:
    session = await session_of(http, f"{role}@example.edu")
    return Caller(http, session["access_token"], user_id)


async def _campus(engine: AsyncEngine) -> tuple[Room, Resident]:
    """A hall, a room, and Ada checked in to one of its beds."""
    hall = a_building("NH", name="North Hall")
    room = a_room(hall, "101")
    bed = Bed(room_id=room.id, label="A")
    ada = a_resident(email=ADA_EMAIL)
    await saved(sql_backend("sqlite", engine), hall, room, bed, ada)
    today = datetime.now(UTC).date()
    async with SqlAlchemyBookingsUnitOfWork(engine) as uow:
        await uow.bookings.add(
            Booking(
                resident_id=ada.id,
                stay=DateRange(today - timedelta(days=7), today + timedelta(days=80)),
                requested_at=datetime.now(UTC),
                state=BookingState.CHECKED_IN,
                bed_id=bed.id,
            )
        )
        await uow.commit()
    return room, ada


async def test_a_request_from_report_to_closing(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "integration-tests-only-signing-key-0123456789",
            "ALLOWED_HOSTS": "testserver.local",
        },
        dotenv=None,
    )
    settings.var_dir.mkdir(parents=True)
    container = Container(settings=settings)
    await upgrade_to_head(container.engine())
    room, ada = await _campus(container.engine())
    # Accounts are made before the app runs: their emails wait for the first relay.
    staff_id = await create_account(container, "staff")
    technician_id = await create_account(container, "technician")
    await create_account(container, "resident", resident_id=str(ada.id))
    async with AsyncTestClient(app=create_app(container)) as http:
        staff = await _caller(http, "staff", staff_id)
        technician = await _caller(http, "technician", technician_id)
        resident = await _caller(http, "resident", None)
        profile = {"user_id": technician.user_id, "name": "Tess", "skills": ["plumbing"]}
        await _ok(await staff.post("/api/technicians", json=profile), 201)

        leak = {"category": "plumbing", "priority": "high", "description": "The tap drips"}
        submitted = await _ok(await resident.post("/api/maintenance-requests", json=leak), 202)

        async def read_job() -> Json:
            return await _ok(await resident.get(f"/api/jobs/{submitted['job_id']}"))

        job = await _poll(
            read_job,
            lambda j: j["state"] in ("succeeded", "failed"),
            "triage",
        )
        url = f"/api/maintenance-requests/{submitted['id']}"
        triaged = await _ok(await technician.get(url))
        received = await _mails(settings.outbox_dir, "Maintenance request", 1)
        assigned = await _mails(settings.outbox_dir, "New work", 1)

        await _ok(await technician.post(f"{url}/start"))
        resolution = {
            "labour_hours": "1.5",
            "parts": [{"name": "washer", "cost": {"amount": "2.50", "currency": "EUR"}}],
            "actual_cost": {"amount": "62.50", "currency": "EUR"},
        }
        resolved = await _ok(await technician.post(f"{url}/resolve", json=resolution))
        closed = await _ok(await resident.post(f"{url}/close", json={"note": "all good"}))
        status_mails = await _mails(settings.outbox_dir, "Maintenance request", 3)
        history = (await _ok(await staff.get(url)))["history"]

    assert (job["state"], job["result"]["state"]) == ("succeeded", "assigned")
    assert (triaged["room_id"], triaged["technician_id"]) == (str(room.id), technician.user_id)
    assert triaged["estimated_cost"] == {"amount": "125.00", "currency": "EUR"}
    assert triaged["due_at"] is not None
    assert [m["To"].addresses[0].addr_spec for m in received] == [ADA_EMAIL]
    assert [m["To"].addresses[0].addr_spec for m in assigned] == ["technician@example.edu"]
    assert "North Hall, room 101" in str(assigned[0].get_body(preferencelist=("plain",)))
    assert resolved["actual_cost"] == {"amount": "62.50", "currency": "EUR"}
    assert resolved["labour_hours"] == "1.5"
    assert (closed["state"], closed["closed_at"] is not None) == ("closed", True)
    subjects = sorted(str(m["Subject"]) for m in status_mails)
    assert subjects[-2:] == [
        f"Maintenance request {submitted['id'][:8]}: in progress",
        f"Maintenance request {submitted['id'][:8]}: resolved",
    ]
    assert [h["action"] for h in history] == [
        "submit",
        "triage",
        "assign",
        "start",
        "resolve",
        "close",
    ]
