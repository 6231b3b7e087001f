"""The voter roll's read side: rows straight into views, counts by GROUP BY."""

from typing import Any

from sqlalchemy import Row, Select, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import voters
from application.shared.paging import PageRequest
from application.voters.views import (
    DepartmentCount,
    VoterFilter,
    VoterPage,
    VoterStats,
    VoterView,
    YearCount,
)

_VIEW_COLUMNS = [
    voters.c[name]
    for name in (
        "student_id",
        "email",
        "first_name",
        "last_name",
        "department",
        "year",
        "is_eligible",
        "created_at",
        "updated_at",
    )
]
_ELIGIBLE = func.coalesce(func.sum(case((voters.c.is_eligible, 1), else_=0)), 0)


def _view(row: Row[Any]) -> VoterView:
    return VoterView(**row._mapping)


def _contains(column: Any, text: str) -> Any:
    return func.lower(column).contains(text.lower(), autoescape=True)


def _filtered(query: Select[Any], criteria: VoterFilter) -> Select[Any]:
    if criteria.department is not None:
        query = query.where(func.lower(voters.c.department) == criteria.department.lower())
    if criteria.year is not None:
        query = query.where(voters.c.year == criteria.year)
    if criteria.is_eligible is not None:
        query = query.where(voters.c.is_eligible == criteria.is_eligible)
    if criteria.q and criteria.q.strip():
        needle = criteria.q.strip()
        query = query.where(
            or_(
                *(
                    _contains(column, needle)
                    for column in (
                        voters.c.first_name,
                        voters.c.last_name,
                        voters.c.email,
                        voters.c.student_id,
                    )
                )
            )
        )
    return query


class SqlAlchemyVoterQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def voters(self, criteria: VoterFilter, page: PageRequest) -> VoterPage:
        query = _filtered(select(*_VIEW_COLUMNS), criteria).order_by(voters.c.student_id)
        total, rows = await fetch_page(self._engine, query, page)
        items = [_view(row) for row in rows]
        return VoterPage(items=items, total=total, limit=page.limit, offset=page.offset)

    async def voter(self, student_id: str) -> VoterView | None:
        query = select(*_VIEW_COLUMNS).where(voters.c.student_id == student_id)
        async with self._engine.connect() as connection:
            row = (await connection.execute(query)).first()
        return None if row is None else _view(row)

    async def after(self, criteria: VoterFilter, student_id: str, limit: int) -> list[VoterView]:
        query = (
            _filtered(select(*_VIEW_COLUMNS), criteria)
            .where(voters.c.student_id > student_id)
            .order_by(voters.c.student_id)
            .limit(limit)
        )
        async with self._engine.connect() as connection:
            return [_view(row) for row in await connection.execute(query)]

    async def stats(self) -> VoterStats:
        total = func.count()
        async with self._engine.connect() as connection:
            overall = (await connection.execute(select(total, _ELIGIBLE))).one()
            departments = await connection.execute(
                select(voters.c.department, total, _ELIGIBLE)
                .group_by(voters.c.department)
                .order_by(voters.c.department.is_(None), voters.c.department)
            )
            years = await connection.execute(
                select(voters.c.year, total, _ELIGIBLE)
                .group_by(voters.c.year)
                .order_by(voters.c.year.is_(None), voters.c.year)
            )
            by_department = [
                DepartmentCount(department=row[0], total=row[1], eligible=int(row[2]))
                for row in departments
            ]
            by_year = [YearCount(year=row[0], total=row[1], eligible=int(row[2])) for row in years]
        count, eligible = int(overall[0]), int(overall[1])
        return VoterStats(
            total=count,
            eligible=eligible,
            ineligible=count - eligible,
            by_department=by_department,
            by_year=by_year,
        )
