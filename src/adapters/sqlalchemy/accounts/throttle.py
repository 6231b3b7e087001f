from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import login_failures
from application.accounts.model import LoginLimits
from application.shared.ports import Clock
from domain.shared.errors import RateLimited

TOO_MANY = "too many failed logins; wait before trying again"


class SqlAlchemyLoginThrottle:
    """Failed-login counters in the database, for deployments without Redis: every API process
    sees the same counts."""

    def __init__(self, engine: AsyncEngine, clock: Clock, limits: LoginLimits) -> None:
        self._engine = engine
        self._clock = clock
        self._limits = limits
        insert = postgres_insert if engine.dialect.name == "postgresql" else sqlite_insert
        self._insert = insert

    async def check(self, keys: list[str]) -> None:
        now = self._clock.now()
        query = select(login_failures.c.key, login_failures.c.failures).where(
            login_failures.c.key.in_(keys),
            login_failures.c.window_start == self._limits.window_start(now),
        )
        async with self._engine.connect() as connection:
            rows = list(await connection.execute(query))
        if any(row.failures >= self._limits.limit_for(row.key) for row in rows):
            raise RateLimited(TOO_MANY, self._limits.retry_after_seconds(now))

    async def record_failure(self, keys: list[str]) -> None:
        window_start = self._limits.window_start(self._clock.now())
        async with self._engine.begin() as connection:
            # Past windows never count again; dropping them keeps the table small.
            await connection.execute(
                delete(login_failures).where(login_failures.c.window_start < window_start)
            )
            for key in keys:
                statement = self._insert(login_failures).values(
                    key=key, window_start=window_start, failures=1
                )
                await connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[login_failures.c.key, login_failures.c.window_start],
                        set_={"failures": login_failures.c.failures + 1},
                    )
                )

    async def clear(self, key: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(delete(login_failures).where(login_failures.c.key == key))
