"""Idempotency keys are forgotten IDEMPOTENCY_KEY_HOURS after they were recorded, by a
scheduled task that deletes them in batches."""

from datetime import timedelta

from application.shared.idempotency import (
    PURGE_TASK,
    IdempotencyStore,
    PurgeIdempotencyKeys,
    StoredResponse,
)
from entrypoints.container import Container
from entrypoints.settings import load_settings
from entrypoints.worker.scheduler import declared_schedules
from entrypoints.worker.tasks import prepare_broker
from tests.fakes import FixedClock, InMemoryIdempotencyStore

SCOPE = "user-1:bookings.request"
DAY = timedelta(hours=24)


async def _record(store: IdempotencyStore, clock: FixedClock, keys: int) -> None:
    for number in range(keys):
        now = clock.now()
        await store.claim(SCOPE, f"k{number}", "f", now, now - timedelta(minutes=5))
        await store.complete(SCOPE, f"k{number}", StoredResponse(status=202, body=b"{}"))


async def test_keys_older_than_the_retention_are_purged_in_batches() -> None:
    clock, store = FixedClock(), InMemoryIdempotencyStore()
    await _record(store, clock, keys=7)
    clock.advance(DAY)
    await store.claim(SCOPE, "fresh", "f", clock.now(), clock.now())
    purge = PurgeIdempotencyKeys(store, clock, retention=DAY, batch_size=3)

    assert await purge() == 0  # exactly a day old is still kept
    clock.advance(timedelta(seconds=1))
    assert await purge() == 7
    assert await purge() == 0
    assert list(store.records) == [(SCOPE, "fresh")]


async def test_the_task_runs_hourly_and_uses_the_configured_retention(
    container: Container, clock: FixedClock
) -> None:
    broker = prepare_broker(container)
    schedule = {"cron": "17 * * * *", "schedule_id": PURGE_TASK}
    assert (PURGE_TASK, schedule) in declared_schedules(broker)
    store = container.idempotency_store()
    await _record(store, clock, keys=2)
    clock.advance(DAY + timedelta(seconds=1))

    task = broker.find_task(PURGE_TASK)
    assert task is not None
    await broker.startup()
    try:
        purged = await (await task.kiq()).wait_result(timeout=5)
    finally:
        await broker.shutdown()

    assert purged.return_value == 2


def test_the_retention_is_a_day_unless_configured() -> None:
    assert load_settings({}, dotenv=None).idempotency_key_hours == 24
    assert load_settings({"IDEMPOTENCY_KEY_HOURS": "72"}, dotenv=None).idempotency_key_hours == 72
