"""The directory sync end to end: both directory adapters (a drop folder, an HTTP JSON feed
served by a local server) against SQLite and PostgreSQL: create, update, locked fields,
deactivation after N absent runs, the dry-run diff, and a run delivered twice."""

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.files.directory_drop import FileDropStudentDirectory
from adapters.http.directory_feed import HttpStudentDirectory
from adapters.sqlalchemy.directory.store import SqlAlchemySyncStore
from adapters.sqlalchemy.housing.queries import SqlAlchemyHousingQueries
from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from adapters.sqlalchemy.jobs.repository import SqlAlchemyJobRepository
from adapters.system.clock import SystemClock
from application.directory.ports import StudentDirectory
from application.directory.sync import RunSync, SyncPolicy, new_run
from application.directory.views import SyncRunView
from application.housing.commands import RegisterResidentCommand, ResidentPatch
from application.housing.residents import RegisterResident, UpdateResident
from application.housing.views import ResidentFilter
from application.jobs.reporter import JobReporter
from application.notifications.notifier import Notifier
from application.shared.paging import PageRequest
from tests.fakes import RecordingBackgroundTasks, RecordingEventBus
from tests.integration.directory_feed_server import TOKEN, feed_server
from tests.integration.housing_backends import SQL_BACKENDS, engine_for

Publish = Callable[[list[dict[str, Any]]], None]
ADA = {"student_id": "S1", "first_name": "Ada", "last_name": "Okafor", "email": "ada@example.edu"}
BEN = {"student_id": "S2", "first_name": "Ben", "last_name": "Lee", "email": "ben@example.edu"}
CLEO = {"student_id": "S3", "first_name": "Cleo", "last_name": "Ng", "email": "cleo@example.edu"}


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


@pytest.fixture(params=["files", "http"])
def directory(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[StudentDirectory, Publish]]:
    if request.param == "files":
        drop = tmp_path / "drop"
        drop.mkdir()
        published = iter(range(1000))

        def write(students: list[dict[str, Any]]) -> None:
            # Alternate formats: a CSV export, then a JSON one.
            number = next(published)
            if number % 2:
                (drop / f"students-{number}.json").write_text(json.dumps({"students": students}))
                return
            with (drop / f"students-{number}.csv").open("w", newline="") as file:
                writer = csv.DictWriter(file, fieldnames=[*ADA, "department"])
                writer.writeheader()
                writer.writerows(students)

        yield FileDropStudentDirectory(drop), write
        return
    with feed_server() as feed:

        def serve(students: list[dict[str, Any]]) -> None:
            feed.pages = [students[:1], students[1:]]  # two pages, linked by `next`

        yield HttpStudentDirectory(feed.url, TOKEN), serve


class Sync:
    def __init__(self, engine: AsyncEngine, directory: StudentDirectory) -> None:
        clock = SystemClock()
        self.store = SqlAlchemySyncStore(engine)
        self.jobs = JobReporter(SqlAlchemyJobRepository(engine), RecordingEventBus(), clock)
        self.clock = clock
        self.directory = directory
        self.run = RunSync(
            self.store,
            directory,
            self.jobs,
            Notifier(clock, RecordingBackgroundTasks(), {"login_url": "http://x"}),
            clock,
            SyncPolicy(absence_runs=3, admin_email="warden@example.edu"),
        )

    async def __call__(self, *, dry_run: bool = False) -> SyncRunView:
        run = await new_run(self.store, self.jobs, self.clock, self.directory.source, dry_run)
        return await self.run(run.id)


def _folder_contents(source: FileDropStudentDirectory) -> tuple[list[str], int]:
    drop = Path(source._folder)
    return [path.name for path in drop.iterdir()], len(list((drop / "processed").iterdir()))


async def _residents(engine: AsyncEngine) -> dict[str, Any]:
    page = await SqlAlchemyHousingQueries(engine).residents(ResidentFilter(), PageRequest())
    return {resident.student_id: resident for resident in page.items}


async def test_the_sync_creates_updates_respects_locks_and_retires_the_absent(
    engine: AsyncEngine, directory: tuple[StudentDirectory, Publish]
) -> None:
    source, publish = directory
    housing = (lambda: SqlAlchemyHousingUnitOfWork(engine), SqlAlchemyHousingQueries(engine))
    register = RegisterResident(*housing, SystemClock())
    ada = await register(RegisterResidentCommand(**ADA, department="Physics"))
    await register(RegisterResidentCommand(**BEN))
    await UpdateResident(*housing, SystemClock())(ada.id, ResidentPatch(locked_fields=["email"]))
    sync = Sync(engine, source)
    feed = [
        {**ADA, "email": "ada.new@example.edu", "department": "Chemistry"},
        {**CLEO, "department": ""},
    ]

    publish(feed)
    dry = await sync(dry_run=True)

    assert (dry.state, dry.created, dry.updated, dry.unchanged) == ("succeeded", 1, 1, 0)
    assert {change["student_id"]: change["action"] for change in dry.changes} == {
        "S3": "create",
        "S1": "update",
    }
    update = next(change for change in dry.changes if change["action"] == "update")
    assert update["fields"] == {"department": ["Physics", "Chemistry"]}  # email is locked
    assert set(await _residents(engine)) == {"S1", "S2"}  # a dry run writes nothing

    statuses = []
    for _run in range(3):
        publish(feed)
        report = await sync()
        statuses.append((await _residents(engine))["S2"].status)
        assert report.state == "succeeded", report.failure

    residents = await _residents(engine)
    assert set(residents) == {"S1", "S2", "S3"}
    assert (residents["S1"].department, residents["S1"].email) == ("Chemistry", "ada@example.edu")
    assert residents["S3"].status == "applicant"
    assert statuses == ["applicant", "applicant", "former"]
    assert (report.created, report.updated, report.unchanged, report.deactivated) == (0, 0, 2, 1)
    if isinstance(source, FileDropStudentDirectory):
        # Applied files are moved aside; the dry run's file was applied by the first real run.
        assert _folder_contents(source) == (["processed"], 4)


async def test_a_run_delivered_twice_counts_its_absences_once(
    engine: AsyncEngine, directory: tuple[StudentDirectory, Publish]
) -> None:
    source, publish = directory
    register = RegisterResident(
        lambda: SqlAlchemyHousingUnitOfWork(engine), SqlAlchemyHousingQueries(engine), SystemClock()
    )
    await register(RegisterResidentCommand(**BEN))
    sync = Sync(engine, source)
    publish([ADA])
    run = await new_run(sync.store, sync.jobs, sync.clock, source.source, False)

    first = await sync.run(run.id)
    again = await sync.run(run.id)

    assert again == first
    known = {resident.student_id: resident for resident in await sync.store.known_residents()}
    assert known["S2"].missed_runs == 1
    assert known["S1"].values["email"] == "ada@example.edu"


async def test_an_empty_drop_folder_counts_no_one_absent(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    register = RegisterResident(
        lambda: SqlAlchemyHousingUnitOfWork(engine), SqlAlchemyHousingQueries(engine), SystemClock()
    )
    await register(RegisterResidentCommand(**BEN))
    drop = tmp_path / "empty"
    sync = Sync(engine, FileDropStudentDirectory(drop))

    report = await sync()

    assert (report.state, report.deactivated) == ("succeeded", 0)
    assert all(resident.missed_runs == 0 for resident in await sync.store.known_residents())


async def test_an_unreachable_feed_fails_the_run_and_mails_the_admin(engine: AsyncEngine) -> None:
    sync = Sync(engine, HttpStudentDirectory("http://127.0.0.1:9/students", TOKEN, 2))

    report = await sync()

    assert report.state == "failed"
    assert report.failure
    assert (await sync.jobs.view(report.id)).state.value == "failed"
