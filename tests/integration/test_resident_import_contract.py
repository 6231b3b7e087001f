"""The imports unit of work's residents, rejected rows and resume bookkeeping on the fake,
SQLite and PostgreSQL: the same merges give the same counts, and records round-trip."""

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.sqlalchemy.imports.records import SqlAlchemyImportsUnitOfWork
from application.imports.ports import ImportsUnitOfWork
from domain.housing.model import Gender
from domain.imports.chunks import RejectedRow
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome, UploadedFile
from domain.imports.rows import RESIDENT_FIELDS, ResidentRow
from tests.fakes import InMemoryImportsStore, InMemoryImportsUnitOfWork, InMemoryNotificationStore
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)
ALL_FIELDS = RESIDENT_FIELDS


def resident(student_id: str, email: str | None = None, **changes: object) -> ResidentRow:
    row = ResidentRow(
        student_id=student_id,
        first_name="Ada",
        last_name="Okafor",
        email=email or f"{student_id}@example.edu",
        phone="+447700900456",
        gender=Gender.FEMALE,
        date_of_birth=date(2004, 3, 1),
        department="Physics",
        year_of_study=2,
        needs_accessible_room=False,
    )
    return replace(row, **changes)  # type: ignore[arg-type]


@pytest.fixture(params=ALL_BACKENDS)
def uow(request: pytest.FixtureRequest) -> Callable[[], ImportsUnitOfWork]:
    if request.param == "memory":
        store = InMemoryImportsStore(InMemoryNotificationStore())
        return lambda: InMemoryImportsUnitOfWork(store)
    engine = engine_for(request, request.param)
    return lambda: SqlAlchemyImportsUnitOfWork(engine)


async def merge(
    uow: Callable[[], ImportsUnitOfWork],
    rows: list[ResidentRow],
    mode: ImportMode = ImportMode.UPSERT,
    fields: tuple[str, ...] = ALL_FIELDS,
    dry_run: bool = False,
) -> MergeOutcome:
    async with uow() as work:
        outcome = await work.residents.merge(rows, fields, mode, NOW, dry_run)
        await work.commit()
    return outcome


async def test_resident_merges_count_the_same_everywhere(
    uow: Callable[[], ImportsUnitOfWork],
) -> None:
    first = await merge(uow, [resident("001"), resident("002")])
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)

    dry = await merge(uow, [resident("001", year_of_study=3), resident("003")], dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (1, 1, 0)

    second = await merge(
        uow,
        [
            resident("001", year_of_study=3),
            resident("002"),
            resident("004", email="001@example.edu"),
        ],
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert second.rejected == ("004",)

    appended = await merge(uow, [resident("001"), resident("005")], ImportMode.APPEND)
    assert (appended.created, appended.skipped) == (1, 1)
    async with uow() as work:
        assert await work.residents.count() == 3


async def test_an_update_changes_only_the_given_fields(
    uow: Callable[[], ImportsUnitOfWork],
) -> None:
    await merge(uow, [resident("001")])

    renamed = await merge(
        uow, [resident("001", last_name="Ng", phone=None)], fields=("last_name", "email")
    )

    assert renamed.updated == 1
    # The phone the file did not carry was kept: the full row with the old phone is unchanged.
    kept = await merge(uow, [resident("001", last_name="Ng")])
    assert (kept.updated, kept.unchanged) == (0, 1)


async def test_rejected_rows_header_and_resumes_round_trip(
    uow: Callable[[], ImportsUnitOfWork],
) -> None:
    record = ImportRecord(
        id=uuid4(),
        kind=ImportKind.RESIDENTS,
        mode=ImportMode.UPSERT,
        dry_run=False,
        default_eligible=True,
        file=UploadedFile("/tmp/x.upload", "residents.xlsx", 10, "cd" * 32, "xlsx"),
        created_at=NOW,
        sheet="Residents",
    )
    rows = [
        RejectedRow(line, ("x", f"=cell {line}", ""), f"E-mail: bad {line}") for line in (9, 3, 5)
    ]
    async with uow() as work:
        await work.imports.add(record)
        await work.imports.record_header(record.id, ["Student ID", "Name", "E-mail"])
        await work.imports.record_chunk(record.id, 0, MergeOutcome(), [], rows)
        await work.commit()
    async with uow() as work:
        stored = await work.imports.get(record.id)
        assert stored is not None
        assert (stored.header, stored.sheet) == (("Student ID", "Name", "E-mail"), "Residents")
        first = await work.imports.rejected_rows(record.id, 0, 2)
        assert [row.line for row in first] == [3, 5]
        assert first[0] == RejectedRow(3, ("x", "=cell 3", ""), "E-mail: bad 3")
        assert [row.line for row in await work.imports.rejected_rows(record.id, 5, 2)] == [9]
        assert [r.id for r in await work.imports.unfinished(10)] == [record.id]
        assert await work.imports.count_resume(record.id, NOW + timedelta(minutes=1)) == 1
        assert await work.imports.count_resume(record.id, NOW + timedelta(minutes=2)) == 2
        await work.commit()
    async with uow() as work:
        stored = await work.imports.get(record.id)
        assert stored is not None
        assert (stored.resumes, stored.resumed_at) == (2, NOW + timedelta(minutes=2))
        await work.imports.finish(record.id, {"error": "x"}, NOW)
        await work.commit()
    async with uow() as work:
        assert await work.imports.unfinished(10) == []
