"""Two requests race past a use case's "is it free?" check and insert the same key. The
database's unique constraint stops the second; its unit of work must answer with the same
Conflict (naming the field) the check would have given, and leave nothing half-written."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from domain.housing.model import Bed
from domain.shared.errors import Conflict
from tests.integration.housing_backends import (
    SQL_BACKENDS,
    a_building,
    a_resident,
    a_room,
    a_term,
    engine_for,
    saved,
    sql_backend,
)

UnitOfWork = SqlAlchemyHousingUnitOfWork
EntityT = TypeVar("EntityT")

HALF_WRITTEN_TERM = "Written before the clash"


@dataclass
class Clash:
    """`key` is the field the Conflict must name; `check` looks the key up the way a use case
    does; `insert` adds a new entity with that key (a fresh id each call) and returns it."""

    key: str
    check: Callable[[UnitOfWork], Awaitable[object | None]]
    insert: Callable[[UnitOfWork], Awaitable[object]]
    existing: list[object] = field(default_factory=list)


async def _added(add: Callable[[EntityT], Awaitable[None]], entity: EntityT) -> EntityT:
    await add(entity)
    return entity


def building_code() -> Clash:
    return Clash(
        "code",
        check=lambda uow: uow.buildings.get_by_code("NH"),
        insert=lambda uow: _added(uow.buildings.add, a_building("NH")),
    )


def room_number_within_building() -> Clash:
    building = a_building("NH")
    return Clash(
        "number",
        check=lambda uow: uow.rooms.get_by_number(building.id, "101"),
        insert=lambda uow: _added(uow.rooms.add, a_room(building, "101")),
        existing=[building],
    )


def bed_label_within_room() -> Clash:
    building = a_building("NH")
    room = a_room(building, "101")

    async def bed_a(uow: UnitOfWork) -> Bed | None:
        return next((bed for bed in await uow.rooms.beds(room.id) if bed.label == "A"), None)

    return Clash(
        "label",
        check=bed_a,
        insert=lambda uow: _added(uow.rooms.add_bed, Bed(room.id, "A")),
        existing=[building, room],
    )


def resident_student_id() -> Clash:
    sequence = iter(range(100))
    return Clash(
        "student_id",
        check=lambda uow: uow.residents.get_by_student_id("00412345"),
        insert=lambda uow: _added(
            uow.residents.add, a_resident("00412345", email=f"r{next(sequence)}@example.edu")
        ),
    )


def resident_email() -> Clash:
    sequence = iter(range(100))
    return Clash(
        "email",
        check=lambda uow: uow.residents.get_by_email("ada@example.edu"),
        insert=lambda uow: _added(
            uow.residents.add, a_resident(f"0041234{next(sequence)}", email="ada@example.edu")
        ),
    )


def term_name() -> Clash:
    return Clash(
        "name",
        check=lambda uow: uow.terms.get_by_name("Autumn"),
        insert=lambda uow: _added(uow.terms.add, a_term("Autumn")),
    )


@pytest.fixture(params=SQL_BACKENDS)
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return engine_for(request, request.param)


async def race(engine: AsyncEngine, clash: Clash) -> tuple[object, Conflict]:
    """Both units of work pass the check before either inserts; the winner commits first.
    (Interleaved this way, not with both inserts in flight, because SQLite lets one writer in
    at a time and the loser would wait on the winner that this coroutine has not resumed.)"""
    winner, loser = UnitOfWork(engine), UnitOfWork(engine)
    won: list[object] = []

    async def lose() -> None:
        async with loser:
            assert await clash.check(loser) is None
            async with winner:
                assert await clash.check(winner) is None
                won.append(await clash.insert(winner))
                await winner.commit()
            await loser.terms.add(a_term(HALF_WRITTEN_TERM))
            await clash.insert(loser)
            await loser.commit()

    with pytest.raises(Conflict) as raised:
        await lose()
    return won[0], raised.value


@pytest.mark.parametrize(
    "scenario",
    [
        building_code,
        room_number_within_building,
        bed_label_within_room,
        resident_student_id,
        resident_email,
        term_name,
    ],
)
async def test_the_loser_of_a_race_gets_a_conflict_naming_the_field(
    engine: AsyncEngine, scenario: Callable[[], Clash]
) -> None:
    clash = scenario()
    await saved(sql_backend("sql", engine), *clash.existing)

    winner_entity, conflict = await race(engine, clash)

    assert conflict.field == clash.key
    assert conflict.message == f"{clash.key} is already taken"
    async with UnitOfWork(engine) as uow:
        assert await clash.check(uow) == winner_entity
        assert await uow.terms.get_by_name(HALF_WRITTEN_TERM) is None


async def test_a_broken_reference_is_a_conflict_without_a_field(engine: AsyncEngine) -> None:
    building = a_building("NH")
    await saved(sql_backend("sql", engine), building, a_room(building, "101"))

    async def delete_the_building() -> None:
        async with UnitOfWork(engine) as uow:
            await uow.buildings.delete(building.id)
            await uow.commit()

    with pytest.raises(Conflict) as raised:
        await delete_the_building()

    assert raised.value.field is None
    async with UnitOfWork(engine) as uow:
        assert await uow.buildings.get(building.id) == building
