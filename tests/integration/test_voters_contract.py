"""The voter ports on the fake, SQLite and PostgreSQL: filters, pages, keyset export pages,
grouped counts, and changes in a unit of work give the same answers everywhere."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

import pytest

from adapters.sqlalchemy.imports.records import SqlAlchemyImportsUnitOfWork
from adapters.sqlalchemy.voters.queries import SqlAlchemyVoterQueries
from adapters.sqlalchemy.voters.repository import SqlAlchemyVotersUnitOfWork
from application.imports.ports import ImportsUnitOfWorkFactory
from application.shared.paging import PageRequest
from application.voters.ports import VoterQueries, VotersUnitOfWorkFactory
from application.voters.views import VoterFilter
from domain.imports.model import ImportMode
from domain.imports.rows import VoterRow
from domain.shared.errors import Conflict
from tests.fakes import InMemoryImportsStore, InMemoryImportsUnitOfWork, InMemoryNotificationStore
from tests.fakes.voters import InMemoryVoterQueries, InMemoryVotersUnitOfWork
from tests.integration.housing_backends import ALL_BACKENDS, SQL_BACKENDS, engine_for

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)
ROLL = [
    VoterRow("001", "ada@example.edu", "Ada", "Lovelace", "Maths", 2, True),
    VoterRow("002", "alan@example.edu", "Alan", "Turing", "CS", 3, False),
    VoterRow("003", "grace@example.edu", "Grace", "Hopper", "cs", 3, True),
    VoterRow("010", "eve_%@example.edu", None, None, None, None, True),
]


@dataclass
class Ports:
    imports: ImportsUnitOfWorkFactory
    queries: VoterQueries
    uow: VotersUnitOfWorkFactory


@pytest.fixture(params=ALL_BACKENDS)
def backend_ports(request: pytest.FixtureRequest) -> Ports:
    if request.param == "memory":
        store = InMemoryImportsStore(InMemoryNotificationStore())
        found = Ports(
            lambda: InMemoryImportsUnitOfWork(store),
            InMemoryVoterQueries(store),
            lambda: InMemoryVotersUnitOfWork(store),
        )
    else:
        engine = engine_for(request, request.param)
        found = Ports(
            lambda: SqlAlchemyImportsUnitOfWork(engine),
            SqlAlchemyVoterQueries(engine),
            lambda: SqlAlchemyVotersUnitOfWork(engine),
        )
    return found


async def _seeded(ports: Ports) -> Ports:
    """The ports with the roll above stored through an import's merge."""
    async with ports.imports() as work:
        await work.voters.merge(ROLL, ImportMode.UPSERT, uuid4(), NOW)
        await work.commit()
    return ports


@pytest.fixture
async def ports(backend_ports: Ports) -> Ports:
    return await _seeded(backend_ports)


async def _ids(queries: VoterQueries, **criteria: object) -> list[str]:
    page = await queries.voters(VoterFilter(**criteria), PageRequest())  # type: ignore[arg-type]
    return [voter.student_id for voter in page.items]


async def test_filters_and_pages(ports: Ports) -> None:
    assert await _ids(ports.queries) == ["001", "002", "003", "010"]
    assert await _ids(ports.queries, department="CS") == ["002", "003"]
    assert await _ids(ports.queries, year=3, is_eligible=True) == ["003"]
    assert await _ids(ports.queries, q="LOVE") == ["001"]
    assert await _ids(ports.queries, q="_%") == ["010"]  # wildcards are plain text
    page = await ports.queries.voters(VoterFilter(), PageRequest(limit=2, offset=1))
    assert (page.total, [v.student_id for v in page.items]) == (4, ["002", "003"])
    found = await ports.queries.voter("001")
    assert found is not None
    assert (found.first_name, found.year, found.is_eligible) == ("Ada", 2, True)
    assert await ports.queries.voter("1") is None


async def test_export_pages_follow_the_student_id(ports: Ports) -> None:
    first = await ports.queries.after(VoterFilter(), "", 3)
    rest = await ports.queries.after(VoterFilter(), first[-1].student_id, 3)

    assert [v.student_id for v in first + rest] == ["001", "002", "003", "010"]
    assert await ports.queries.after(VoterFilter(is_eligible=False), "002", 3) == []


async def test_stats_group_by_department_and_year(ports: Ports) -> None:
    stats = await ports.queries.stats()

    assert (stats.total, stats.eligible, stats.ineligible) == (4, 3, 1)
    # Departments sort by the database's collation; no department comes last.
    assert {(d.department, d.total, d.eligible) for d in stats.by_department} == {
        ("CS", 1, 0),
        ("Maths", 1, 1),
        ("cs", 1, 1),
        (None, 1, 1),
    }
    assert stats.by_department[-1].department is None
    assert [(y.year, y.total, y.eligible) for y in stats.by_year] == [
        (2, 1, 1),
        (3, 2, 1),
        (None, 1, 1),
    ]


async def test_changes_in_a_unit_of_work(ports: Ports) -> None:
    async with ports.uow() as work:
        voter = await work.voters.get("002")
        assert voter is not None
        voter.is_eligible, voter.department = True, None
        await work.voters.save(voter)
        assert await work.voters.owner_of("ada@example.edu") == "001"
        assert await work.voters.owner_of("nobody@example.edu") is None
        assert await work.voters.delete("001") is True
        assert await work.voters.delete("001") is False
        await work.commit()
    changed = await ports.queries.voter("002")
    assert changed is not None
    assert (changed.is_eligible, changed.department) == (True, None)
    assert await ports.queries.voter("001") is None


@pytest.fixture(params=SQL_BACKENDS)
def sql_ports(request: pytest.FixtureRequest) -> Ports:
    engine = engine_for(request, request.param)
    return Ports(
        lambda: SqlAlchemyImportsUnitOfWork(engine),
        SqlAlchemyVoterQueries(engine),
        lambda: SqlAlchemyVotersUnitOfWork(engine),
    )


async def test_an_email_taken_in_a_race_is_a_conflict_naming_it(sql_ports: Ports) -> None:
    """Only the databases: the fake has no unique index (UpdateVoter's own check is tested
    on it over HTTP)."""
    ports = await _seeded(sql_ports)
    with pytest.raises(Conflict) as raised:
        await _give_002_the_email_of_001(ports)
    assert raised.value.field == "email"


async def _give_002_the_email_of_001(ports: Ports) -> None:
    async with ports.uow() as work:
        voter = await work.voters.get("002")
        assert voter is not None
        voter.email = "ada@example.edu"
        await work.voters.save(voter)
        await work.commit()
