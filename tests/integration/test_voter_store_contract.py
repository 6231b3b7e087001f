"""The imports unit of work on the fake, SQLite and PostgreSQL: the same merges give the same
counts and the same roll, and import records round-trip."""

from collections.abc import Callable
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from adapters.sqlalchemy.imports.records import SqlAlchemyImportsUnitOfWork
from application.imports.ports import ImportsUnitOfWork
from application.shared.paging import PageRequest
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, MergeOutcome, UploadedFile
from domain.imports.rows import RowProblem, VoterRow
from tests.fakes import InMemoryImportsStore, InMemoryImportsUnitOfWork, InMemoryNotificationStore
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)


def voter(student_id: str, email: str | None = None, year: int | None = 1) -> VoterRow:
    return VoterRow(student_id, email or f"{student_id}@example.edu", "A", "B", "CS", year, True)


@pytest.fixture(params=ALL_BACKENDS)
def uow(request: pytest.FixtureRequest) -> Callable[[], ImportsUnitOfWork]:
    if request.param == "memory":
        store = InMemoryImportsStore(InMemoryNotificationStore())
        return lambda: InMemoryImportsUnitOfWork(store)
    engine = engine_for(request, request.param)
    return lambda: SqlAlchemyImportsUnitOfWork(engine)


async def merge(
    uow: Callable[[], ImportsUnitOfWork], rows: list[VoterRow], mode: ImportMode, **kw: object
) -> MergeOutcome:
    import_id = kw.pop("import_id", uuid4())
    async with uow() as work:
        outcome = await work.voters.merge(rows, mode, import_id, NOW, **kw)  # type: ignore[arg-type]
        await work.commit()
    return outcome


async def test_merges_count_created_updated_unchanged_and_rejected(
    uow: Callable[[], ImportsUnitOfWork],
) -> None:
    first = await merge(uow, [voter("001"), voter("002")], ImportMode.UPSERT)
    assert (first.created, first.updated, first.unchanged) == (2, 0, 0)

    dry = await merge(uow, [voter("001", year=3), voter("003")], ImportMode.UPSERT, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (1, 1, 0)

    second = await merge(
        uow,
        [voter("001", year=3), voter("002"), voter("004", email="001@example.edu")],
        ImportMode.UPSERT,
    )
    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert second.rejected == ("004",)

    appended = await merge(uow, [voter("001"), voter("005")], ImportMode.APPEND)
    assert (appended.created, appended.skipped) == (1, 1)

    import_id = uuid4()
    replaced = await merge(uow, [voter("001", year=3)], ImportMode.REPLACE, import_id=import_id)
    assert (replaced.created, replaced.updated, replaced.unchanged) == (0, 0, 1)
    async with uow() as work:
        assert await work.voters.remove_absent(import_id) == 2
        assert await work.voters.count() == 1
        await work.commit()


async def test_records_chunks_and_problems_round_trip(
    uow: Callable[[], ImportsUnitOfWork],
) -> None:
    record = ImportRecord(
        id=uuid4(),
        kind=ImportKind.VOTERS,
        mode=ImportMode.UPSERT,
        dry_run=False,
        default_eligible=True,
        file=UploadedFile("/tmp/x.upload", "roll.csv", 10, "ab" * 32, "csv"),
        created_at=NOW,
        uploader_email="ada@example.edu",
    )
    problem = RowProblem(3, "E-mail", "=x", "not an email")
    async with uow() as work:
        await work.imports.add(record)
        await work.imports.record_chunk(record.id, 0, MergeOutcome(1, 0, 0, 0, ("9",)), [problem])
        await work.imports.finish(record.id, {"total_rows": 2}, NOW)
        await work.commit()
    async with uow() as work:
        stored = await work.imports.get(record.id)
        assert stored is not None
        assert stored.report == {"total_rows": 2}
        assert stored.file == record.file
        assert await work.imports.chunk_outcome(record.id, 0) == MergeOutcome(1, 0, 0, 0, ("9",))
        assert await work.imports.chunk_outcome(record.id, 1) is None
        assert await work.imports.problems(record.id) == [problem]
        like = await work.imports.latest_like(
            ImportKind.VOTERS, ImportMode.UPSERT, False, "ab" * 32
        )
        assert like is not None
        assert like.id == record.id
        total, listed = await work.imports.imports(PageRequest())
        assert (total, [r.id for r in listed]) == (1, [record.id])
