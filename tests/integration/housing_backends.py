"""The housing ports on each backend, and sample entities for the tests that use them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.housing.queries import SqlAlchemyHousingQueries
from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from application.housing.ports import HousingQueries, HousingUnitOfWorkFactory
from domain.housing.model import Bed, Building, Resident, Room, RoomType, Term
from domain.shared.dates import DateRange
from domain.shared.money import Money
from tests.fakes import (
    FixedClock,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
)

SQL_BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ALL_BACKENDS = ["memory", *SQL_BACKENDS]


@dataclass(frozen=True)
class Backend:
    name: str
    uow: HousingUnitOfWorkFactory
    queries: HousingQueries
    # Lets time pass between two writes: the fake's clock only moves when told to, the
    # databases stamp rows with the wall clock.
    let_time_pass: Callable[[], None]


def memory_backend() -> Backend:
    clock = FixedClock()
    store = InMemoryHousingStore(clock)
    return Backend(
        name="memory",
        uow=lambda: InMemoryHousingUnitOfWork(store),
        queries=InMemoryHousingQueries(store),
        let_time_pass=lambda: clock.advance(timedelta(seconds=1)),
    )


def sql_backend(name: str, engine: AsyncEngine) -> Backend:
    return Backend(
        name=name,
        uow=lambda: SqlAlchemyHousingUnitOfWork(engine),
        queries=SqlAlchemyHousingQueries(engine),
        let_time_pass=lambda: None,
    )


def engine_for(request: pytest.FixtureRequest, name: str) -> AsyncEngine:
    fixture = {"sqlite": "sqlite_engine", "postgresql": "postgres_engine"}[name]
    engine: AsyncEngine = request.getfixturevalue(fixture)
    return engine


async def saved(backend: Backend, *entities: object) -> None:
    """Adds the entities in one unit of work and commits it."""
    async with backend.uow() as uow:
        for entity in entities:
            match entity:
                case Building():
                    await uow.buildings.add(entity)
                case Room():
                    await uow.rooms.add(entity)
                case Bed():
                    await uow.rooms.add_bed(entity)
                case Resident():
                    await uow.residents.add(entity)
                case Term():
                    await uow.terms.add(entity)
                case _:
                    raise TypeError(f"no repository for {entity!r}")
        await uow.commit()


# Names that sort in the same order by bytes and by a locale's collation: plain ASCII letters,
# each capitalised the same way (one capital, then lower case), so no position ever compares
# an upper-case letter with a lower-case one.


def a_building(code: str = "NH", **changes: Any) -> Building:
    values: dict[str, Any] = {
        "code": code,
        "name": f"Hall {code}",
        "address": "1 College Road",
        "floors": 5,
        "amenities": ["laundry", "bike storage"],
    }
    return Building(**(values | changes))


def a_room(building: Building, number: str = "101", **changes: Any) -> Room:
    values: dict[str, Any] = {
        "building_id": building.id,
        "number": number,
        "floor": int(number[0]),
        "type": RoomType.DOUBLE,
        "nightly_rate": Money.of("42.50", "EUR"),
        "features": ["sink", "desk"],
    }
    return Room(**(values | changes))


def a_resident(student_id: str = "00412345", **changes: Any) -> Resident:
    values: dict[str, Any] = {
        "student_id": student_id,
        "first_name": "Ada",
        "last_name": "Okafor",
        "email": f"student{student_id}@example.edu",
    }
    return Resident(**(values | changes))


def a_term(name: str = "Autumn", start: date = date(2026, 9, 21), **changes: Any) -> Term:
    values: dict[str, Any] = {"name": name, "dates": DateRange(start, start + timedelta(days=89))}
    return Term(**(values | changes))
