"""The bookings ports (and the announcement audience, which reads bookings) on each backend:
the in-memory fakes, SQLite and PostgreSQL."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.closures import (
    SqlAlchemyClosureQueries,
    SqlAlchemyClosuresUnitOfWork,
)
from adapters.sqlalchemy.bookings.occupancy import SqlAlchemyOccupancyQueries
from adapters.sqlalchemy.bookings.queries import (
    SqlAlchemyAllocationQueries,
    SqlAlchemyBookingQueries,
)
from adapters.sqlalchemy.bookings.records import SqlAlchemyBookingRecords
from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.notifications.audience import SqlAlchemyAudienceDirectory
from adapters.sqlalchemy.payments.queries import SqlAlchemyPaymentQueries
from adapters.sqlalchemy.payments.sandbox import SqlAlchemySandboxGateway
from application.bookings.ports import (
    AllocationQueries,
    BookingQueries,
    BookingsUnitOfWorkFactory,
    ClosureQueries,
    ClosuresUnitOfWorkFactory,
    OccupancyQueries,
)
from application.housing.ports import BookingRecords
from application.notifications.ports import AudienceDirectory
from application.payments.checkout import Checkouts
from application.payments.ports import PaymentQueries
from tests.fakes import (
    FixedClock,
    InMemoryAllocationQueries,
    InMemoryAudienceDirectory,
    InMemoryBookingQueries,
    InMemoryBookingRecords,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
    InMemoryClosureQueries,
    InMemoryClosuresUnitOfWork,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
    InMemoryOccupancyQueries,
    InMemoryPaymentQueries,
    InMemorySandboxGateway,
)
from tests.integration.housing_backends import Backend, engine_for, sql_backend

PUBLIC_URL = "https://residence.example"
SANDBOX_PAGE = f"{PUBLIC_URL}/payments/sandbox"


@dataclass(frozen=True)
class BookingsBackend:
    name: str
    housing: Backend
    uow: BookingsUnitOfWorkFactory
    facts: AllocationQueries
    queries: BookingQueries
    audience: AudienceDirectory
    closures_uow: ClosuresUnitOfWorkFactory
    closures: ClosureQueries
    occupancy: OccupancyQueries
    records: BookingRecords
    payment_queries: PaymentQueries
    # Both ports of the sandbox gateway: PaymentGateway and SandboxCheckouts.
    sandbox: InMemorySandboxGateway | SqlAlchemySandboxGateway

    @property
    def checkouts(self) -> Checkouts:
        return Checkouts(self.sandbox, self.payment_queries)


def memory_bookings() -> BookingsBackend:
    clock = FixedClock()
    housing = InMemoryHousingStore(clock)
    store = InMemoryBookingStore()
    return BookingsBackend(
        name="memory",
        housing=Backend(
            name="memory",
            uow=lambda: InMemoryHousingUnitOfWork(housing),
            queries=None,  # type: ignore[arg-type]  # the bookings tests read no housing views
            let_time_pass=lambda: clock.advance(timedelta(seconds=1)),
        ),
        uow=lambda: InMemoryBookingsUnitOfWork(store),
        facts=InMemoryAllocationQueries(housing, store),
        queries=InMemoryBookingQueries(housing, store),
        audience=InMemoryAudienceDirectory(housing, store),
        closures_uow=lambda: InMemoryClosuresUnitOfWork(store),
        closures=InMemoryClosureQueries(housing, store),
        occupancy=InMemoryOccupancyQueries(housing, store),
        records=InMemoryBookingRecords(store),
        payment_queries=InMemoryPaymentQueries(housing),
        sandbox=InMemorySandboxGateway(clock, SANDBOX_PAGE),
    )


def sql_bookings(name: str, engine: AsyncEngine) -> BookingsBackend:
    return BookingsBackend(
        name=name,
        housing=sql_backend(name, engine),
        uow=lambda: SqlAlchemyBookingsUnitOfWork(engine),
        facts=SqlAlchemyAllocationQueries(engine),
        queries=SqlAlchemyBookingQueries(engine),
        audience=SqlAlchemyAudienceDirectory(engine),
        closures_uow=lambda: SqlAlchemyClosuresUnitOfWork(engine),
        closures=SqlAlchemyClosureQueries(engine),
        occupancy=SqlAlchemyOccupancyQueries(engine),
        records=SqlAlchemyBookingRecords(engine),
        payment_queries=SqlAlchemyPaymentQueries(engine),
        sandbox=SqlAlchemySandboxGateway(engine, PUBLIC_URL, FixedClock()),
    )


def bookings_backend(request: pytest.FixtureRequest) -> BookingsBackend:
    if request.param == "memory":
        return memory_bookings()
    return sql_bookings(request.param, engine_for(request, request.param))
