"""SyncStore: the same assertions against the fake, SQLite and PostgreSQL."""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from adapters.sqlalchemy.directory.store import SqlAlchemySyncStore
from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from application.directory.ports import SyncStore
from application.housing.ports import HousingUnitOfWork
from application.shared.paging import PageRequest
from domain.directory.model import DirectoryEntry, ResidentUpdate, SyncPlan, SyncRun
from domain.housing.model import Resident
from tests.fakes import InMemoryHousingStore, InMemoryHousingUnitOfWork
from tests.fakes.directory import InMemorySyncStore
from tests.fakes.notifications import InMemoryNotificationStore
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

NOW = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)


@dataclass
class Backend:
    store: SyncStore
    housing: Callable[[], HousingUnitOfWork]


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    if request.param == "memory":
        housing = InMemoryHousingStore()
        return Backend(
            InMemorySyncStore(housing, InMemoryNotificationStore()),
            lambda: InMemoryHousingUnitOfWork(housing),
        )
    engine = engine_for(request, request.param)
    return Backend(SqlAlchemySyncStore(engine), lambda: SqlAlchemyHousingUnitOfWork(engine))


async def _resident(backend: Backend, student_id: str, **values: object) -> Resident:
    resident = Resident(
        student_id=student_id,
        first_name="Ada",
        last_name="Okafor",
        email=f"{student_id.lower()}@example.edu",
        **values,  # type: ignore[arg-type]
    )
    async with backend.housing() as uow:
        await uow.residents.add(resident)
        await uow.commit()
    return resident


async def test_runs_are_stored_finished_and_paged_newest_first(backend: Backend) -> None:
    first = SyncRun(id=uuid4(), source="files", dry_run=True, created_at=NOW)
    second = SyncRun(id=uuid4(), source="http", dry_run=False, created_at=NOW.replace(hour=3))
    await backend.store.add_run(first)
    await backend.store.add_run(second)
    done = dataclasses.replace(
        first,
        state="succeeded",
        created=2,
        errors=[{"where": "x.csv line 2", "field": "email", "message": "not an email"}],
        changes=[{"student_id": "S1", "action": "create", "fields": {"year_of_study": 2}}],
        finished_at=NOW,
    )

    await backend.store.finish_run(done, [])

    assert await backend.store.get_run(first.id) == done
    runs, total = await backend.store.page_runs(PageRequest(limit=1))
    assert ([run.id for run in runs], total) == ([second.id], 2)


async def test_a_plan_creates_updates_retires_and_counts_absences(backend: Backend) -> None:
    ada = await _resident(backend, "S1", locked_fields=["email"])
    ben = await _resident(backend, "S2")
    run_id = uuid4()
    plan = SyncPlan(
        creates=[DirectoryEntry("S3", "Cleo", "Ng", "cleo@example.edu", None, "Law", 1)],
        updates=[ResidentUpdate(ada.id, "S1", {"department": (None, "Physics")})],
        absences={ben.id: 3},
        deactivations=[ben.id],
    )

    await backend.store.apply(plan, run_id, NOW)

    known = {resident.student_id: resident for resident in await backend.store.known_residents()}
    assert set(known) == {"S1", "S2", "S3"}
    assert known["S1"].values["department"] == "Physics"
    assert known["S1"].locked_fields == frozenset({"email"})
    assert (known["S2"].former, known["S2"].missed_runs, known["S2"].last_missed_run) == (
        True,
        3,
        run_id,
    )
    assert known["S3"].values == {
        "first_name": "Cleo",
        "last_name": "Ng",
        "email": "cleo@example.edu",
        "phone": None,
        "department": "Law",
        "year_of_study": 1,
    }

    await backend.store.apply(SyncPlan(returned=[ben.id]), uuid4(), NOW)

    back = {resident.student_id: resident for resident in await backend.store.known_residents()}
    assert (back["S2"].missed_runs, back["S2"].last_missed_run) == (0, None)
