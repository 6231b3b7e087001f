"""The hold reminder runs every minute on the in-process broker and warns each hold once."""

from datetime import date, timedelta

from application.bookings.commands import RequestBookingCommand
from application.payments.reminders import WARN_EXPIRING_TASK
from domain.bookings.model import BookingState
from entrypoints.container import Container
from entrypoints.worker.scheduler import declared_schedules
from entrypoints.worker.tasks import prepare_broker
from tests.fakes import FixedClock, InMemoryAccountsStore, InMemoryBookingStore
from tests.unit.bookings.test_booking_tasks import STAFF, _a_room_and_resident


def test_the_reminder_runs_every_minute(container: Container) -> None:
    schedule = {"cron": "* * * * *", "schedule_id": WARN_EXPIRING_TASK}

    assert (WARN_EXPIRING_TASK, schedule) in declared_schedules(prepare_broker(container))


async def test_the_reminder_task_warns_a_hold_once(
    container: Container,
    booking_store: InMemoryBookingStore,
    accounts_store: InMemoryAccountsStore,
    clock: FixedClock,
) -> None:
    resident_id = await _a_room_and_resident(container)
    command = RequestBookingCommand(
        resident_id=resident_id, starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19)
    )
    requested = await container.bookings.request_booking()(STAFF, command)
    await container.bookings.allocate_booking()(requested.id)
    assert booking_store.rows[requested.id].state is BookingState.HELD
    clock.advance(timedelta(minutes=21))
    broker = prepare_broker(container)
    await broker.startup()
    try:
        task = broker.find_task(WARN_EXPIRING_TASK)
        assert task is not None
        first = await (await task.kiq()).wait_result(timeout=5)
        second = await (await task.kiq()).wait_result(timeout=5)
    finally:
        await broker.shutdown()

    assert (first.return_value, second.return_value) == (1, 0)
    kinds = [n.kind for n in accounts_store.notifications.rows.values()]
    assert kinds.count("booking_hold_expiring") == 1
