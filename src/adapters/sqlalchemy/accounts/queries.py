from typing import Any
from uuid import UUID

from sqlalchemy import Row, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import revoked_access_tokens, users
from application.accounts.model import CallerState
from application.accounts.views import UserFilter, UserPage, UserView
from application.shared.paging import PageRequest
from domain.accounts.model import Role

# Never select the password hash into a view.
_columns = select(
    users.c.id,
    users.c.email,
    users.c.role,
    users.c.resident_id,
    users.c.active,
    users.c.created_at,
    users.c.updated_at,
)


def _view(row: Row[Any]) -> UserView:
    return UserView(
        id=row.id,
        email=row.email,
        role=row.role,
        resident_id=row.resident_id,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlAlchemyAccountQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def caller(self, user_id: UUID, token_id: str) -> CallerState | None:
        revoked = exists().where(revoked_access_tokens.c.token_id == token_id)
        query = select(
            users.c.role,
            users.c.resident_id,
            users.c.active,
            users.c.tokens_valid_after,
            revoked.label("revoked"),
        ).where(users.c.id == user_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        if row is None:
            return None
        return CallerState(
            role=Role(row.role),
            resident_id=row.resident_id,
            active=row.active,
            tokens_valid_after=row.tokens_valid_after,
            token_revoked=bool(row.revoked),
        )

    async def user(self, user_id: UUID) -> UserView | None:
        async with self._engine.connect() as connection:
            row = (await connection.execute(_columns.where(users.c.id == user_id))).first()
        return None if row is None else _view(row)

    async def users(self, criteria: UserFilter, page: PageRequest) -> UserPage:
        query: Select[Any] = _columns.order_by(users.c.email, users.c.id)
        if criteria.role is not None:
            query = query.where(users.c.role == criteria.role)
        if criteria.active is not None:
            query = query.where(users.c.active.is_(criteria.active))
        total, rows = await fetch_page(self._engine, query, page)
        return UserPage(
            items=[_view(row) for row in rows], total=total, limit=page.limit, offset=page.offset
        )
