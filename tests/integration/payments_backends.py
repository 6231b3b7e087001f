"""The payments ports on each backend: the in-memory fakes, SQLite and PostgreSQL."""

from dataclasses import dataclass

import pytest

from adapters.sqlalchemy.payments.queries import SqlAlchemyPaymentQueries
from adapters.sqlalchemy.payments.sandbox import SqlAlchemySandboxGateway
from application.payments.ports import PaymentQueries
from tests.fakes import (
    FixedClock,
    InMemoryHousingStore,
    InMemoryPaymentQueries,
    InMemorySandboxGateway,
)
from tests.integration.bookings_backends import BookingsBackend, memory_bookings, sql_bookings
from tests.integration.housing_backends import engine_for

PAGE_BASE = "https://residence.example"


@dataclass(frozen=True)
class PaymentsBackend:
    bookings: BookingsBackend
    queries: PaymentQueries
    # Both sandbox ports, PaymentGateway and SandboxCheckouts, as the container uses it.
    sandbox: InMemorySandboxGateway | SqlAlchemySandboxGateway
    page_url: str


def payments_backend(request: pytest.FixtureRequest) -> PaymentsBackend:
    clock = FixedClock()
    if request.param == "memory":
        bookings = memory_bookings()
        # The fakes' rates are read from the housing store the bookings backend saves into.
        housing: InMemoryHousingStore = bookings.facts._housing  # type: ignore[attr-defined]
        page_url = f"{PAGE_BASE}/payments/sandbox"
        return PaymentsBackend(
            bookings,
            InMemoryPaymentQueries(housing),
            InMemorySandboxGateway(clock, page_url),
            page_url,
        )
    engine = engine_for(request, request.param)
    return PaymentsBackend(
        sql_bookings(request.param, engine),
        SqlAlchemyPaymentQueries(engine),
        SqlAlchemySandboxGateway(engine, PAGE_BASE, clock),
        f"{PAGE_BASE}/payments/sandbox",
    )
