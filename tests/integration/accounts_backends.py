"""The accounts ports on each backend, and sample users for the tests that use them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.accounts.audit import SqlAlchemyAuditLog
from adapters.sqlalchemy.accounts.queries import SqlAlchemyAccountQueries
from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from application.accounts.model import RefreshToken
from application.accounts.ports import AccountQueries, AccountsUnitOfWorkFactory, AuditLog
from domain.accounts.model import Role, User
from tests.fakes import (
    FixedClock,
    InMemoryAccountQueries,
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryAuditLog,
)
from tests.integration.housing_backends import Backend, engine_for, memory_backend, sql_backend

# Whole seconds, then microseconds: both engines keep microseconds, and a round trip that lost
# them would show here.
NOW = datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class AccountsBackend:
    name: str
    uow: AccountsUnitOfWorkFactory
    queries: AccountQueries
    audit: AuditLog
    # Residents live in the housing tables; a user's resident_id must name one on the databases.
    housing: Backend
    # As in housing_backends: the fake's clock moves when told to, the databases' on their own.
    let_time_pass: Callable[[], None]


def memory_accounts() -> AccountsBackend:
    clock = FixedClock()
    store = InMemoryAccountsStore(clock)
    return AccountsBackend(
        name="memory",
        uow=lambda: InMemoryAccountsUnitOfWork(store),
        queries=InMemoryAccountQueries(store),
        audit=InMemoryAuditLog(),
        housing=memory_backend(),
        let_time_pass=lambda: clock.advance(timedelta(seconds=1)),
    )


def sql_accounts(name: str, engine: AsyncEngine) -> AccountsBackend:
    return AccountsBackend(
        name=name,
        uow=lambda: SqlAlchemyAccountsUnitOfWork(engine),
        queries=SqlAlchemyAccountQueries(engine),
        audit=SqlAlchemyAuditLog(engine),
        housing=sql_backend(name, engine),
        let_time_pass=lambda: None,
    )


def accounts_backend(request: pytest.FixtureRequest) -> AccountsBackend:
    """For a fixture parametrised with housing_backends.ALL_BACKENDS or SQL_BACKENDS."""
    if request.param == "memory":
        return memory_accounts()
    return sql_accounts(request.param, engine_for(request, request.param))


async def users_saved(backend: AccountsBackend, *users: User) -> None:
    async with backend.uow() as uow:
        for user in users:
            await uow.users.add(user)
        await uow.commit()


def a_user(name: str = "ada", **changes: Any) -> User:
    values: dict[str, Any] = {
        "email": f"{name}@example.edu",
        "role": Role.STAFF,
        "password_hash": f"$argon2id$v=19$m=65536,t=3,p=4${name}",
    }
    return User(**(values | changes))


def a_refresh_token(
    user_id: UUID, family_id: UUID | None = None, token_hash: str | None = None, **changes: Any
) -> RefreshToken:
    values: dict[str, Any] = {
        "token_hash": token_hash or uuid4().hex * 2,
        "user_id": user_id,
        "family_id": family_id or uuid4(),
        "expires_at": NOW + timedelta(days=14),
    }
    return RefreshToken(**(values | changes))
