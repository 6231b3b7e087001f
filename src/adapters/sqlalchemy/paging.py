from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from application.shared.paging import PageRequest


async def fetch_page(
    engine: AsyncEngine, query: Select[Any], page: PageRequest
) -> tuple[int, list[Row[Any]]]:
    """The total of every row the query matches, and the rows of one page of it. Both are read
    on one connection so that they describe the same moment as far as the engine allows."""
    async with engine.connect() as connection:
        counted = select(func.count()).select_from(query.order_by(None).subquery())
        total = (await connection.execute(counted)).scalar_one()
        rows = list(await connection.execute(query.limit(page.limit).offset(page.offset)))
    return int(total), rows
