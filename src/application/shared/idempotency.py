"""Safe retries of a request that creates something: the `Idempotency-Key` header.

A client that did not hear the answer to a POST sends it again with the same key. The first
request with a key claims it and, once it succeeds, leaves its response with it; a repeat with
the same body gets that response again, byte for byte, and changes nothing. Decisions:
- a key belongs to one caller and one operation (the scope): two users never share keys;
- the body is compared by a fingerprint of the decoded request, so spacing and field order in
  the JSON do not matter, while any changed value does (422);
- a repeat while the first is still running answers 409: the client retries a little later;
- a request that fails gives its key back, so the corrected retry is not refused; only
  successes are replayed;
- a claim older than CLAIM_TIMEOUT belongs to a process that died mid-way: it is taken over;
- a key is kept for a retention time (IDEMPOTENCY_KEY_HOURS) after it was recorded, then
  purged (PurgeIdempotencyKeys): a retry after that runs again.
"""

import hashlib
from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from application.shared.ports import Clock
from domain.shared.errors import Conflict, InvalidValue

HEADER = "Idempotency-Key"
PURGE_TASK = "idempotency.purge"
# Keys deleted per transaction: short transactions, whatever the backlog.
PURGE_BATCH = 1000
MAX_KEY_LENGTH = 200
CLAIM_TIMEOUT = timedelta(minutes=5)


class StoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    status: int
    body: bytes


class IdempotencyRecord(msgspec.Struct, frozen=True, kw_only=True):
    fingerprint: str
    claimed_at: datetime
    response: StoredResponse | None = None  # None while the first request is in flight


class IdempotencyStore(Protocol):
    """Keys and the responses they produced. Each call is a transaction of its own."""

    async def claim(
        self, scope: str, key: str, fingerprint: str, now: datetime, stale_before: datetime
    ) -> IdempotencyRecord | None:
        """Records the key as in flight and returns None; when it is already recorded, returns
        that record unchanged, unless it is an unfinished claim from before `stale_before`,
        which is claimed anew (None). Atomic: of two callers at once, one gets None."""
        ...

    async def complete(self, scope: str, key: str, response: StoredResponse) -> None: ...

    async def release(self, scope: str, key: str) -> None:
        """Forgets an in-flight claim whose request failed."""
        ...

    async def purge(self, before: datetime, limit: int) -> int:
        """Forgets up to `limit` keys recorded before `before` (the `now` of the claim that
        recorded them) and not taken over since, the oldest first; returns how many."""
        ...


def fingerprint(request: msgspec.Struct) -> str:
    return hashlib.sha256(msgspec.json.encode(request)).hexdigest()


class IdempotentRequests:
    """Claims a key before a request runs, and replays the response of a finished one."""

    def __init__(self, store: IdempotencyStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def begin(self, scope: str, key: str, request: msgspec.Struct) -> StoredResponse | None:
        """None: go ahead, then `complete` or `release`. A response: send it again as is."""
        if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            raise InvalidValue(HEADER, f"use 1 to {MAX_KEY_LENGTH} printable characters")
        now = self._clock.now()
        found = await self._store.claim(scope, key, fingerprint(request), now, now - CLAIM_TIMEOUT)
        if found is None:
            return None
        if found.fingerprint != fingerprint(request):
            raise InvalidValue(HEADER, "was already used with another request body")
        if found.response is None:
            raise Conflict("the first request with this key is still running", field=HEADER)
        return found.response

    async def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        await self._store.complete(scope, key, response)

    async def release(self, scope: str, key: str) -> None:
        await self._store.release(scope, key)


class PurgeIdempotencyKeys:
    """Deletes the keys older than the retention time (IDEMPOTENCY_KEY_HOURS), in batches of
    PURGE_BATCH, each its own transaction, until none is left; returns how many. Run on a
    schedule; safe to run twice, or twice at once (a key deleted by the other run is gone)."""

    def __init__(
        self,
        store: IdempotencyStore,
        clock: Clock,
        retention: timedelta,
        batch_size: int = PURGE_BATCH,
    ) -> None:
        self._store = store
        self._clock = clock
        self._retention = retention
        self._batch_size = batch_size

    async def __call__(self) -> int:
        before = self._clock.now() - self._retention
        purged = 0
        while True:
            batch = await self._store.purge(before, self._batch_size)
            purged += batch
            if batch < self._batch_size:
                return purged
