from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import bookings, jobs, notifications
from application.system.figures import JobCount, StoredFigures


class SqlAlchemyFigureStore:
    """Four aggregate reads in one short transaction; each is served by an index or a small
    table, so a scrape every few seconds costs the database little."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def read(self) -> StoredFigures:
        by_kind = (
            select(jobs.c.kind, jobs.c.state, func.count())
            .group_by(jobs.c.kind, jobs.c.state)
            .order_by(jobs.c.kind, jobs.c.state)
        )
        outbox = select(notifications.c.state, func.count()).group_by(notifications.c.state)
        holds = select(func.count()).where(bookings.c.state == "held")
        async with self._engine.connect() as connection:
            job_rows = (await connection.execute(by_kind)).all()
            outbox_counts: dict[str, int] = {
                state: count for state, count in (await connection.execute(outbox)).all()
            }
            held = (await connection.execute(holds)).scalar_one()
        return StoredFigures(
            jobs=[JobCount(kind=kind, state=state, count=count) for kind, state, count in job_rows],
            outbox_backlog=outbox_counts.get("queued", 0) + outbox_counts.get("sending", 0),
            outbox_failed=outbox_counts.get("failed", 0),
            booking_holds=held,
        )
