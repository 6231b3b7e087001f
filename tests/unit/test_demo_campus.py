"""SeedDemoCampus over the in-memory fakes: what it creates, that it is repeatable, and that a
second run leaves everything as it was."""

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from application.housing.buildings import CreateBuilding
from application.housing.commands import (
    CreateBuildingCommand,
    CreateTermCommand,
    SeedDemoCampusCommand,
)
from application.housing.demo import SeedDemoCampus
from application.housing.residents import RegisterResident
from application.housing.rooms import CreateRoom
from application.housing.terms import CreateTerm
from application.housing.views import (
    BuildingFilter,
    ResidentFilter,
    ResidentView,
    RoomFilter,
    RoomView,
)
from application.shared.paging import PageRequest
from domain.housing.model import RoomStatus
from domain.housing.rules import BEDS_BY_ROOM_TYPE
from entrypoints.container import Container
from tests.fakes import (
    FixedClock,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
)

EVERYTHING = PageRequest(limit=500)


@pytest.fixture
def seed(container: Container) -> SeedDemoCampus:
    return container.housing.seed_demo_campus()


@pytest.fixture
def queries(store: InMemoryHousingStore) -> InMemoryHousingQueries:
    return InMemoryHousingQueries(store)


async def _rooms(queries: InMemoryHousingQueries) -> list[RoomView]:
    return (await queries.rooms(RoomFilter(), EVERYTHING)).items


async def _residents(queries: InMemoryHousingQueries) -> list[ResidentView]:
    return (await queries.residents(ResidentFilter(), EVERYTHING)).items


async def test_seeds_three_distinct_halls_with_about_150_rooms(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    report = await seed(SeedDemoCampusCommand())

    buildings = (await queries.buildings(BuildingFilter(), EVERYTHING)).items
    rooms = await _rooms(queries)
    assert report.seeded
    assert (report.buildings, report.rooms) == (3, len(rooms))
    assert len(buildings) == 3
    assert len({b.gender_policy for b in buildings}) == 3
    assert all(4 <= b.floors <= 6 and b.amenities for b in buildings)
    assert 140 <= len(rooms) <= 160
    assert len({r.type for r in rooms}) == 6
    assert report.beds == sum(r.capacity for r in rooms)
    assert all(r.capacity == BEDS_BY_ROOM_TYPE[r.type] for r in rooms)
    assert sum(r.accessible for r in rooms) >= 6
    assert 1 <= sum(r.status is RoomStatus.CLOSED for r in rooms) < len(rooms) // 5
    assert {r.nightly_rate.currency for r in rooms} == {"EUR"}
    assert all(Decimal(15) <= r.nightly_rate.amount <= Decimal(55) for r in rooms)
    floors = {b.id: b.floors for b in buildings}
    assert all(1 <= r.floor <= floors[r.building_id] for r in rooms)


async def test_seeds_300_plausible_residents(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    report = await seed(SeedDemoCampusCommand())

    residents = await _residents(queries)
    assert report.residents == len(residents) == 300
    student_ids = [r.student_id for r in residents]
    assert len(set(student_ids)) == 300
    assert all(re.fullmatch(r"00\d{6}", student_id) for student_id in student_ids)
    assert len({r.email for r in residents}) == 300
    assert all(r.phone and re.fullmatch(r"\+[1-9]\d{6,14}", r.phone) for r in residents)
    assert len({r.department for r in residents}) >= 10
    assert {r.year_of_study for r in residents} <= {1, 2, 3, 4, 5}
    assert len(Counter(r.status for r in residents)) == 3
    assert len({r.last_name for r in residents}) >= 30
    needing_access = [r for r in residents if r.needs_accessible_room]
    assert 1 <= len(needing_access) <= 30
    assert all(r.accessibility_notes for r in needing_access)


async def test_leading_zeros_of_student_ids_survive_a_lookup(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    await seed(SeedDemoCampusCommand())
    someone = (await _residents(queries))[0]

    found = await queries.residents(ResidentFilter(q=someone.student_id), EVERYTHING)

    assert [r.student_id for r in found.items] == [someone.student_id]
    assert someone.student_id.startswith("00")


async def test_seeds_two_terms_as_half_open_ranges(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    await seed(SeedDemoCampusCommand())

    terms = (await queries.terms(EVERYTHING)).items
    assert [(t.name, t.starts_on, t.ends_on) for t in terms] == [
        ("Autumn 2026", date(2026, 9, 21), date(2026, 12, 19)),
        ("Spring 2027", date(2027, 1, 18), date(2027, 5, 15)),
    ]


def _seeder_over(store: InMemoryHousingStore) -> SeedDemoCampus:
    def uow() -> InMemoryHousingUnitOfWork:
        return InMemoryHousingUnitOfWork(store)

    queries = InMemoryHousingQueries(store)
    return SeedDemoCampus(
        create_building=CreateBuilding(uow, queries),
        create_room=CreateRoom(uow, queries),
        register_resident=RegisterResident(uow, queries, store.clock),
        create_term=CreateTerm(uow, queries),
        queries=queries,
    )


async def test_the_same_seed_gives_the_same_campus(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    other_store = InMemoryHousingStore(FixedClock())

    await seed(SeedDemoCampusCommand())
    await _seeder_over(other_store)(SeedDemoCampusCommand())

    other = InMemoryHousingQueries(other_store)
    assert [(r.student_id, r.first_name, r.email) for r in await _residents(queries)] == [
        (r.student_id, r.first_name, r.email) for r in await _residents(other)
    ]
    assert [(r.number, r.type, r.nightly_rate) for r in await _rooms(queries)] == [
        (r.number, r.type, r.nightly_rate) for r in await _rooms(other)
    ]


async def test_another_seed_gives_another_campus(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries
) -> None:
    other_store = InMemoryHousingStore(FixedClock())

    await seed(SeedDemoCampusCommand(residents=20))
    await _seeder_over(other_store)(SeedDemoCampusCommand(seed=7, residents=20))

    other = InMemoryHousingQueries(other_store)
    ours = {r.student_id for r in await _residents(queries)}
    assert ours != {r.student_id for r in await _residents(other)}


async def test_a_second_run_changes_nothing(
    seed: SeedDemoCampus, queries: InMemoryHousingQueries, store: InMemoryHousingStore
) -> None:
    await seed(SeedDemoCampusCommand())
    before = (len(store.tables.rooms), len(store.tables.beds), len(store.tables.residents))

    again = await seed(SeedDemoCampusCommand())

    assert not again.seeded
    assert again.existing_codes == ["MH", "NH", "RC"]
    assert (again.buildings, again.rooms, again.residents, again.terms) == (0, 0, 0, 0)
    after = (len(store.tables.rooms), len(store.tables.beds), len(store.tables.residents))
    assert after == before
    assert len(store.tables.buildings) == 3
    assert len(store.tables.terms) == 2


async def test_an_existing_hall_with_a_demo_code_blocks_the_whole_seed(
    seed: SeedDemoCampus, container: Container, store: InMemoryHousingStore
) -> None:
    await container.housing.create_building()(
        CreateBuildingCommand(code="nh", name="Newman Hall", address="3 Quad", floors=3)
    )

    report = await seed(SeedDemoCampusCommand())

    assert not report.seeded
    assert report.existing_codes == ["NH"]
    assert len(store.tables.buildings) == 1
    assert (store.tables.rooms, store.tables.residents, store.tables.terms) == ({}, {}, {})


async def test_a_term_that_already_exists_is_skipped_not_fatal(
    seed: SeedDemoCampus, container: Container
) -> None:
    await container.housing.create_term()(
        CreateTermCommand(name="Autumn 2026", starts_on=date(2026, 9, 1), ends_on=date(2027, 1, 1))
    )

    report = await seed(SeedDemoCampusCommand(residents=5))

    assert report.seeded
    assert (report.terms, report.terms_skipped) == (1, 1)
    assert report.residents == 5
