"""Idempotency keys in the database: the primary key (scope, key) decides which of two
simultaneous first requests claims a key."""

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.tables import idempotency_keys as keys
from application.shared.idempotency import IdempotencyRecord, StoredResponse

# A claim can vanish (released) or go stale between our insert and our read; each round
# settles one of those, and three cover any interleaving of one other request.
_ROUNDS = 3


def _record(row: Row[Any]) -> IdempotencyRecord:
    response = None
    if row.response_status is not None:
        response = StoredResponse(status=row.response_status, body=bytes(row.response_body))
    return IdempotencyRecord(
        fingerprint=row.fingerprint, claimed_at=row.claimed_at, response=response
    )


class SqlAlchemyIdempotencyStore:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def claim(
        self, scope: str, key: str, fingerprint: str, now: datetime, stale_before: datetime
    ) -> IdempotencyRecord | None:
        this = (keys.c.scope == scope, keys.c.key == key)
        for _ in range(_ROUNDS):
            try:
                async with self._engine.begin() as connection:
                    await connection.execute(
                        insert(keys).values(
                            scope=scope,
                            key=key,
                            fingerprint=fingerprint,
                            claimed_at=now,
                            created_at=now,  # the caller's clock decides when it expires
                        )
                    )
                return None
            except IntegrityError:
                pass  # already claimed: read what is there
            async with self._engine.begin() as connection:
                row = (await connection.execute(select(keys).where(*this))).first()
                if row is None:
                    continue  # released meanwhile: claim it again
                if row.response_status is not None or row.claimed_at >= stale_before:
                    return _record(row)
                taken_over = await connection.execute(
                    update(keys)
                    .where(*this, keys.c.claimed_at == row.claimed_at)
                    .values(fingerprint=fingerprint, claimed_at=now)
                )
                if taken_over.rowcount:
                    return None
        raise RuntimeError(f"could not settle idempotency key {key!r} in {_ROUNDS} rounds")

    async def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                update(keys)
                .where(keys.c.scope == scope, keys.c.key == key)
                .values(response_status=response.status, response_body=response.body)
            )

    async def release(self, scope: str, key: str) -> None:
        async with self._engine.begin() as connection:
            await connection.execute(
                delete(keys).where(
                    keys.c.scope == scope, keys.c.key == key, keys.c.response_status.is_(None)
                )
            )

    async def purge(self, before: datetime, limit: int) -> int:
        # The `created_at` index finds the oldest; a claim taken over since is in flight again.
        oldest = (
            select(keys.c.scope, keys.c.key)
            .where(keys.c.created_at < before, keys.c.claimed_at < before)
            .order_by(keys.c.created_at)
            .limit(limit)
        )
        async with self._engine.begin() as connection:
            result = await connection.execute(
                delete(keys).where(tuple_(keys.c.scope, keys.c.key).in_(oldest))
            )
        return int(result.rowcount)
