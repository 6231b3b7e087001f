"""The idempotency key store behaves alike in memory, on SQLite and on PostgreSQL."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.idempotency import SqlAlchemyIdempotencyStore
from application.shared.idempotency import IdempotencyStore, StoredResponse
from tests.fakes import InMemoryIdempotencyStore
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
STALE_BEFORE = NOW - timedelta(minutes=5)
SCOPE = "user-1:bookings.request"
ACCEPTED = StoredResponse(status=202, body=b'{"id": "1"}')


@pytest.fixture(params=ALL_BACKENDS)
def store(request: pytest.FixtureRequest) -> IdempotencyStore:
    if request.param == "memory":
        return InMemoryIdempotencyStore()
    engine: AsyncEngine = engine_for(request, request.param)
    return SqlAlchemyIdempotencyStore(engine)


async def test_the_first_claim_wins_and_the_response_is_kept(store: IdempotencyStore) -> None:
    assert await store.claim(SCOPE, "k", "f1", NOW, STALE_BEFORE) is None

    in_flight = await store.claim(SCOPE, "k", "f2", NOW, STALE_BEFORE)
    await store.complete(SCOPE, "k", ACCEPTED)
    await store.release(SCOPE, "k")  # a finished key is never given back
    done = await store.claim(SCOPE, "k", "f1", NOW + timedelta(days=1), NOW + timedelta(hours=1))

    assert in_flight is not None
    assert (in_flight.fingerprint, in_flight.response) == ("f1", None)
    assert done is not None
    assert (done.fingerprint, done.response) == ("f1", ACCEPTED)
    assert await store.claim("user-2:bookings.request", "k", "f9", NOW, STALE_BEFORE) is None


async def test_a_released_or_stale_claim_can_be_claimed_again(store: IdempotencyStore) -> None:
    await store.claim(SCOPE, "released", "f1", NOW, STALE_BEFORE)
    await store.release(SCOPE, "released")
    await store.claim(SCOPE, "stale", "f1", NOW, STALE_BEFORE)
    later = NOW + timedelta(minutes=10)

    assert await store.claim(SCOPE, "released", "f2", NOW, STALE_BEFORE) is None
    assert await store.claim(SCOPE, "stale", "f2", later, later - timedelta(minutes=5)) is None
    found = await store.claim(SCOPE, "stale", "f3", later, later - timedelta(minutes=5))
    assert found is not None
    assert (found.fingerprint, found.claimed_at) == ("f2", later)


async def test_of_simultaneous_first_requests_one_claims_the_key(store: IdempotencyStore) -> None:
    outcomes = await asyncio.gather(
        *(store.claim(SCOPE, "race", "f", NOW, STALE_BEFORE) for _ in range(10))
    )

    assert sum(outcome is None for outcome in outcomes) == 1


async def test_keys_recorded_before_the_cutoff_are_purged_oldest_first_in_batches(
    store: IdempotencyStore,
) -> None:
    for hour in range(5):  # keys recorded at NOW, NOW + 1 h, ... NOW + 4 h
        at = NOW + timedelta(hours=hour)
        await store.claim(SCOPE, f"k{hour}", "f", at, at - timedelta(minutes=5))
        await store.complete(SCOPE, f"k{hour}", ACCEPTED)
    cutoff = NOW + timedelta(hours=3, minutes=30)

    first = await store.purge(cutoff, limit=2)
    second = await store.purge(cutoff, limit=2)
    third = await store.purge(cutoff, limit=2)

    assert (first, second, third) == (2, 2, 0)
    later = NOW + timedelta(hours=5)
    for hour in range(4):  # gone: the same key runs again
        assert await store.claim(SCOPE, f"k{hour}", "f", later, later) is None
    kept = await store.claim(SCOPE, "k4", "f", later, later)
    assert kept is not None
    assert kept.response == ACCEPTED


async def test_a_claim_taken_over_after_the_cutoff_is_not_purged(store: IdempotencyStore) -> None:
    await store.claim(SCOPE, "taken-over", "f1", NOW, STALE_BEFORE)
    later = NOW + timedelta(hours=2)
    assert await store.claim(SCOPE, "taken-over", "f2", later, later) is None

    assert await store.purge(NOW + timedelta(hours=1), limit=10) == 0
    assert await store.purge(later + timedelta(seconds=1), limit=10) == 1
