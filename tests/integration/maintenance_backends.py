"""The maintenance ports on each backend (the in-memory fakes, SQLite, PostgreSQL), with the
housing, bookings and accounts records their reads join."""

from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.maintenance.queries import (
    SqlAlchemyMaintenanceDirectory,
    SqlAlchemyMaintenanceQueries,
)
from adapters.sqlalchemy.maintenance.repository import SqlAlchemyMaintenanceUnitOfWork
from application.accounts.ports import AccountsUnitOfWorkFactory
from application.bookings.ports import BookingsUnitOfWorkFactory
from application.maintenance.ports import (
    MaintenanceDirectory,
    MaintenanceQueries,
    MaintenanceUnitOfWorkFactory,
)
from domain.accounts.model import User
from domain.bookings.model import Booking
from tests.fakes import (
    FixedClock,
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
    InMemoryMaintenanceDirectory,
    InMemoryMaintenanceQueries,
    InMemoryMaintenanceStore,
    InMemoryMaintenanceUnitOfWork,
)
from tests.integration.housing_backends import Backend, engine_for, saved, sql_backend


@dataclass(frozen=True)
class MaintenanceBackend:
    name: str
    uow: MaintenanceUnitOfWorkFactory
    queries: MaintenanceQueries
    directory: MaintenanceDirectory
    housing: Backend
    bookings: BookingsUnitOfWorkFactory
    accounts: AccountsUnitOfWorkFactory

    async def save(self, *entities: object) -> None:
        """Housing entities, users and bookings, each through its own context's store."""
        housing = [e for e in entities if not isinstance(e, User | Booking)]
        await saved(self.housing, *housing)
        async with self.accounts() as accounts:
            for user in (e for e in entities if isinstance(e, User)):
                await accounts.users.add(user)
            await accounts.commit()
        async with self.bookings() as bookings:
            for booking in (e for e in entities if isinstance(e, Booking)):
                await bookings.bookings.add(booking)
            await bookings.commit()


def memory_maintenance() -> MaintenanceBackend:
    clock = FixedClock()
    housing = InMemoryHousingStore(clock)
    bookings = InMemoryBookingStore()
    accounts = InMemoryAccountsStore(clock)
    store = InMemoryMaintenanceStore()
    return MaintenanceBackend(
        name="memory",
        uow=lambda: InMemoryMaintenanceUnitOfWork(store),
        queries=InMemoryMaintenanceQueries(store),
        directory=InMemoryMaintenanceDirectory(housing, bookings, accounts),
        housing=Backend(
            name="memory",
            uow=lambda: InMemoryHousingUnitOfWork(housing),
            queries=None,  # type: ignore[arg-type]  # the maintenance tests read no housing views
            let_time_pass=lambda: None,
        ),
        bookings=lambda: InMemoryBookingsUnitOfWork(bookings),
        accounts=lambda: InMemoryAccountsUnitOfWork(accounts),
    )


def sql_maintenance(name: str, engine: AsyncEngine) -> MaintenanceBackend:
    return MaintenanceBackend(
        name=name,
        uow=lambda: SqlAlchemyMaintenanceUnitOfWork(engine),
        queries=SqlAlchemyMaintenanceQueries(engine),
        directory=SqlAlchemyMaintenanceDirectory(engine),
        housing=sql_backend(name, engine),
        bookings=lambda: SqlAlchemyBookingsUnitOfWork(engine),
        accounts=lambda: SqlAlchemyAccountsUnitOfWork(engine),
    )


def maintenance_backend(request: pytest.FixtureRequest) -> MaintenanceBackend:
    if request.param == "memory":
        return memory_maintenance()
    return sql_maintenance(request.param, engine_for(request, request.param))
