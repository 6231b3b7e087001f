"""Voters changed one at a time by the office, in a unit of work."""

from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy.tables import voters
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from domain.voters.model import Voter

_FIELDS = ("email", "first_name", "last_name", "department", "year", "is_eligible", "updated_at")


def _voter(row: Row[Any]) -> Voter:
    return Voter(
        student_id=row.student_id,
        email=row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        department=row.department,
        year=row.year,
        is_eligible=row.is_eligible,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


class SqlAlchemyVoterRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._connection = connection

    async def get(self, student_id: str) -> Voter | None:
        query = select(voters).where(voters.c.student_id == student_id)
        row = (await self._connection.execute(query)).first()
        return None if row is None else _voter(row)

    async def owner_of(self, email: str) -> str | None:
        query = select(voters.c.student_id).where(voters.c.email == email)
        found: str | None = (await self._connection.execute(query)).scalar_one_or_none()
        return found

    async def save(self, voter: Voter) -> None:
        values = {name: getattr(voter, name) for name in _FIELDS}
        await self._connection.execute(
            update(voters).where(voters.c.student_id == voter.student_id).values(values)
        )

    async def delete(self, student_id: str) -> bool:
        result = await self._connection.execute(
            delete(voters).where(voters.c.student_id == student_id)
        )
        return bool(result.rowcount)


class SqlAlchemyVotersUnitOfWork(SqlAlchemyUnitOfWork):
    def _bind(self, connection: AsyncConnection) -> None:
        self.voters = SqlAlchemyVoterRepository(connection)
