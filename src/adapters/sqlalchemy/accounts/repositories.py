from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy import tables
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.repository import TableRepository
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from application.accounts.model import RefreshToken
from domain.accounts.model import Role, User


def user_values(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "email": user.email,
        "role": user.role.value,
        "password_hash": user.password_hash,
        "resident_id": user.resident_id,
        "active": user.active,
        "tokens_valid_after": user.tokens_valid_after,
    }


def user_from(row: Row[Any]) -> User:
    return User(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        password_hash=row.password_hash,
        resident_id=row.resident_id,
        active=row.active,
        tokens_valid_after=row.tokens_valid_after,
    )


class SqlAlchemyUserRepository(TableRepository[User]):
    table = tables.users
    to_values = user_values
    from_row = user_from

    async def get_by_email(self, email: str) -> User | None:
        return await self._first(tables.users.c.email == email)

    async def get_by_resident(self, resident_id: UUID) -> User | None:
        return await self._first(tables.users.c.resident_id == resident_id)


class SqlAlchemySessionRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def add_refresh_token(self, token: RefreshToken) -> None:
        await self._connection.execute(
            insert(tables.refresh_tokens).values(
                token_hash=token.token_hash,
                user_id=token.user_id,
                family_id=token.family_id,
                expires_at=token.expires_at,
                revoked_at=token.revoked_at,
            )
        )

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        table = tables.refresh_tokens
        row = (
            await self._connection.execute(select(table).where(table.c.token_hash == token_hash))
        ).first()
        if row is None:
            return None
        return RefreshToken(
            token_hash=row.token_hash,
            user_id=row.user_id,
            family_id=row.family_id,
            expires_at=row.expires_at,
            revoked_at=row.revoked_at,
        )

    async def _revoke(self, condition: Any, at: datetime) -> None:
        table = tables.refresh_tokens
        await self._connection.execute(
            update(table).where(condition, table.c.revoked_at.is_(None)).values(revoked_at=at)
        )

    async def revoke_refresh_token(self, token_hash: str, at: datetime) -> None:
        await self._revoke(tables.refresh_tokens.c.token_hash == token_hash, at)

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        await self._revoke(tables.refresh_tokens.c.family_id == family_id, at)

    async def revoke_user(self, user_id: UUID, at: datetime) -> None:
        await self._revoke(tables.refresh_tokens.c.user_id == user_id, at)

    async def revoke_access_token(self, token_id: str, expires_at: datetime) -> None:
        table = tables.revoked_access_tokens
        already = (
            await self._connection.execute(
                select(table.c.token_id).where(table.c.token_id == token_id)
            )
        ).first()
        if already is None:
            await self._connection.execute(
                insert(table).values(token_id=token_id, expires_at=expires_at)
            )

    async def access_token_revoked(self, token_id: str) -> bool:
        table = tables.revoked_access_tokens
        query = select(table.c.token_id).where(table.c.token_id == token_id)
        return (await self._connection.execute(query)).first() is not None


class SqlAlchemyAccountsUnitOfWork(SqlAlchemyUnitOfWork):
    users: SqlAlchemyUserRepository
    sessions: SqlAlchemySessionRepository
    outbox: SqlAlchemyNotificationOutbox

    def _bind(self, connection: AsyncConnection) -> None:
        self.users = SqlAlchemyUserRepository(connection)
        self.sessions = SqlAlchemySessionRepository(connection)
        self.outbox = SqlAlchemyNotificationOutbox(connection)
