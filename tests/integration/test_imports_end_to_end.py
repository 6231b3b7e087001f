"""A voter roll from HTTP upload to mailbox in the embedded mode: the app on SQLite with the
in-process broker runs the import task, the report and errors.csv are read over HTTP, and the
report email lands in the outbox folder."""

import asyncio
import time
from email import message_from_bytes, policy
from pathlib import Path

from litestar.testing import AsyncTestClient

from adapters.sqlalchemy.migrator import upgrade_to_head
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.unit.accounts_api import sign_in

ROLL = b"\xef\xbb\xbfMatric No;Full Name;Email Address;Year\n0042;Ada Lovelace;ada@x.edu;2\n0043;Alan;bad;1\n"
DEADLINE_SECONDS = 30


async def test_an_uploaded_roll_is_imported_reported_and_mailed(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "VAR_DIR": str(tmp_path / "var"),
            "SECRET_KEY": "integration-tests-only-signing-key-0123456789",
            "ADMIN_EMAIL": "council@example.edu",
            "PUBLIC_URL": "https://residence.example.edu",
            "ALLOWED_HOSTS": "testserver.local",
        },
        dotenv=None,
    )
    settings.var_dir.mkdir(parents=True)
    container = Container(settings=settings)
    await upgrade_to_head(container.engine())
    async with AsyncTestClient(app=create_app(container)) as http:
        admin = await sign_in(http, container, "admin")
        http.auth = admin.auth  # type: ignore[attr-defined]
        files = {"file": ("roll.csv", ROLL, "text/csv")}
        accepted = await http.post("/api/upload/", files=files)
        assert accepted.status_code == 202, accepted.text
        task_id = accepted.json()["task_id"]
        status = await _wait_until_done(http, task_id)
        assert status["state"] == "SUCCESS", status
        report = status["result"]
        assert (report["total_rows"], report["created"], report["invalid"]) == (2, 1, 1)
        errors = (await http.get(f"/api/imports/{task_id}/errors.csv")).text
        assert "3,Email Address,bad," in errors
        mails = await _wait_for_mail(settings.outbox_dir, 3)  # the admin's account mail too
    subjects = {message["To"]: message["Subject"] for message in mails}
    assert subjects["council@example.edu"] == "Import of roll.csv finished: 1 created, 1 invalid"
    assert subjects["admin@example.edu"] == subjects["council@example.edu"]
    [report_mail] = [m for m in mails if m["To"] == "council@example.edu"]
    body = report_mail.get_body(preferencelist=("plain",))
    assert body is not None
    assert f"https://residence.example.edu/api/imports/{task_id}/errors.csv" in body.get_content()


async def _wait_until_done(http: AsyncTestClient, task_id: str) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        status: dict = (await http.get(f"/api/task-status/{task_id}")).json()  # type: ignore[type-arg]
        if status["state"] in ("SUCCESS", "FAILURE"):
            return status
        await asyncio.sleep(0)  # let the in-process broker's task run; no timed wait
    raise AssertionError(f"import {task_id} did not finish within {DEADLINE_SECONDS} s")


async def _wait_for_mail(outbox: Path, count: int) -> list:  # type: ignore[type-arg]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        mails = await asyncio.to_thread(_read_mails, outbox)
        if len(mails) >= count:
            return mails
        await asyncio.sleep(0)
    raise AssertionError(f"fewer than {count} emails in {outbox}")


def _read_mails(outbox: Path) -> list:  # type: ignore[type-arg]
    files = sorted(outbox.glob("*.eml")) if outbox.exists() else []
    return [message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
