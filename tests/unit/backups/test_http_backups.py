"""/api/backups over HTTP on the app built from fakes: admins start (202), list, read and
download backups; the office staff may not; retention keeps days and weeks."""

from datetime import timedelta
from uuid import UUID

from application.shared.paging import PageRequest
from domain.backups.model import BackupTrigger
from entrypoints.container import Container
from tests.fakes import (
    FixedClock,
    FixedDatabaseSnapshot,
    InMemoryFileStorage,
    RecordingBackgroundTasks,
)
from tests.unit.accounts_api import Caller


async def test_an_admin_starts_a_backup_and_downloads_it(
    admin: Caller, container: Container
) -> None:
    response = await admin.post("/api/backups")

    assert response.status_code == 202, response.text
    started = response.json()
    assert (started["state"], started["trigger"], started["storage_key"]) == (
        "running",
        "manual",
        None,
    )
    tasks = container.background_tasks()
    assert isinstance(tasks, RecordingBackgroundTasks)
    assert tasks.enqueued[-1] == ("backups.run", {"backup_id": started["id"]})

    await container.backups.run_backup()(UUID(started["id"]))
    await container.backups.run_backup()(UUID(started["id"]))  # a second delivery: no change

    read = (await admin.get(f"/api/backups/{started['id']}")).json()
    assert read["state"] == "succeeded"
    assert read["storage_key"].startswith("backups/")
    assert read["storage_key"].endswith(".zip")
    assert read["row_counts"] == {"residents": 3}
    job = (await admin.get(f"/api/jobs/{started['id']}")).json()
    assert (job["state"], job["progress"]) == ("succeeded", 100)
    download = await admin.get(f"/api/backups/{started['id']}/download")
    assert download.status_code == 200
    assert download.content == FixedDatabaseSnapshot().content
    assert download.headers["content-type"] == "application/zip"
    listed = (await admin.get("/api/backups")).json()
    assert (listed["total"], [item["id"] for item in listed["items"]]) == (1, [started["id"]])


async def test_a_failed_backup_says_why_and_has_nothing_to_download(
    admin: Caller, container: Container
) -> None:
    snapshot = container.database_snapshot()
    assert isinstance(snapshot, FixedDatabaseSnapshot)
    snapshot.failure = "disk full"

    backup = await container.backups.back_up_now()(BackupTrigger.CLI)

    read = (await admin.get(f"/api/backups/{backup.id}")).json()
    assert (read["state"], read["error"]) == ("failed", "disk full")
    assert (await admin.get(f"/api/jobs/{backup.id}")).json()["state"] == "failed"
    assert (await admin.get(f"/api/backups/{backup.id}/download")).status_code == 404


async def test_staff_may_not_touch_backups(staff: Caller) -> None:
    assert (await staff.post("/api/backups")).status_code == 403
    assert (await staff.get("/api/backups")).status_code == 403


async def test_nightly_backups_keep_seven_days_and_four_weeks(
    container: Container, clock: FixedClock
) -> None:
    storage = container.storage()
    assert isinstance(storage, InMemoryFileStorage)
    for _night in range(40):
        await container.backups.back_up_now()(BackupTrigger.SCHEDULED)
        clock.advance(timedelta(days=1))

    page = await container.backups.list_backups()(PageRequest(limit=100))

    assert page.total == len(storage.files)
    # 7 nights, and the newest of each of the 4 latest weeks (the 2 newest overlap the nights).
    assert 9 <= page.total <= 11
    newest = page.items[0].created_at
    assert {item.created_at for item in page.items} >= {
        newest - timedelta(days=day) for day in range(7)
    }


async def test_the_nightly_task_delivered_twice_makes_one_backup(container: Container) -> None:
    first = await container.backups.back_up_now()(BackupTrigger.SCHEDULED)
    second = await container.backups.back_up_now()(BackupTrigger.SCHEDULED)

    assert second.id == first.id
