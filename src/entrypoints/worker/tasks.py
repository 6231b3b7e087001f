"""The tasks every process knows, and how a task reaches the use cases.

A feature adds its tasks with a registrar, a function that declares them on a broker, listed in
TASK_REGISTRARS. A task gets the container by declaring a `ContainerDep` parameter and calls use
cases from it, so tasks stay as thin as HTTP handlers:

    def register_notification_tasks(broker: AsyncBroker) -> None:
        @broker.task(
            task_name="notifications.relay",
            schedule=[{"interval": 5, "schedule_id": "notifications.relay"}],
        )
        async def relay(container: ContainerDep) -> int:
            return await container.notifications.relay_outbox()()

A schedule is a label on its task (LabelScheduleSource reads it); give it a fixed `schedule_id`
so its identity survives restarts. The broker delivers at least once: a task may run twice and
must leave the same state when it does."""

import logging
from collections.abc import Callable
from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec
from redis.exceptions import RedisError
from taskiq import AsyncBroker, TaskiqDepends

from application.backups.backups import NIGHTLY_TASK as BACKUP_NIGHTLY_TASK
from application.backups.backups import RUN_TASK as BACKUP_RUN_TASK
from application.bookings.allocation import RESUME_TASK as RESUME_ALLOCATIONS_TASK
from application.bookings.requests import ALLOCATE_TASK
from application.bookings.waitlist import EXPIRE_HOLDS_TASK, OFFER_BEDS_TASK, OFFER_TASK
from application.directory.sync import RUN_TASK as SYNC_RUN_TASK
from application.directory.sync import SCHEDULED_TASK as SYNC_SCHEDULED_TASK
from application.imports.resume import RESUME_TASK as RESUME_IMPORTS_TASK
from application.imports.start import RUN_TASK as IMPORT_TASK
from application.maintenance.housekeeping import AUTO_CLOSE_TASK, ESCALATE_TASK
from application.maintenance.requests import TRIAGE_TASK
from application.maintenance.schedules import GENERATE_TASK
from application.maintenance.triage import RESUME_TRIAGE_TASK
from application.notifications.announcements import FAN_OUT_TASK, RESUME_TASK
from application.notifications.notifier import RELAY_TASK
from application.payments.reminders import WARN_EXPIRING_TASK
from application.shared.idempotency import PURGE_TASK as PURGE_IDEMPOTENCY_KEYS_TASK
from domain.backups.model import BackupTrigger
from domain.shared.dates import DateRange
from entrypoints.container import Container
from entrypoints.settings import Settings

logger = logging.getLogger(__name__)

TaskRegistrar = Callable[[AsyncBroker], None]

ContainerDep = Annotated[Container, TaskiqDepends()]

_PREPARED = "residence.tasks_registered"


def register_system_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name="system.ping")
    async def ping() -> str:
        """Kicking this and waiting for "pong" proves that some worker consumes the queue."""
        return "pong"


def register_notification_tasks(broker: AsyncBroker) -> None:
    # Use cases kick the relay after each commit that queues notifications; the schedule is
    # the safety net for kicks that were lost (a broker outage, a one-shot command).
    @broker.task(task_name=RELAY_TASK, schedule=[{"cron": "* * * * *", "schedule_id": RELAY_TASK}])
    async def relay(container: ContainerDep) -> dict[str, int]:
        """Delivers every due notification; safe to run twice, or twice at once."""
        report = await container.notifications.relay_notifications()()
        return msgspec.structs.asdict(report)


def register_announcement_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=FAN_OUT_TASK)
    async def fan_out(announcement_id: str, container: ContainerDep) -> None:
        """Queues one announcement's messages; safe to run twice, or twice at once."""
        await container.notifications.fan_out_announcement()(UUID(announcement_id))

    # Picks up fan-outs whose task was lost (a worker killed mid-way, a broker that was down).
    @broker.task(
        task_name=RESUME_TASK, schedule=[{"cron": "* * * * *", "schedule_id": RESUME_TASK}]
    )
    async def resume(container: ContainerDep) -> int:
        return await container.notifications.resume_announcements()()


def register_import_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=IMPORT_TASK)
    async def run_import(import_id: str, container: ContainerDep) -> None:
        """Runs one import; a second delivery skips the chunks already committed."""
        await container.imports.run_import()(UUID(import_id))

    # Hands imports whose task was lost (a worker killed mid-way) to a worker again.
    @broker.task(
        task_name=RESUME_IMPORTS_TASK,
        schedule=[{"cron": "* * * * *", "schedule_id": RESUME_IMPORTS_TASK}],
    )
    async def resume_imports(container: ContainerDep) -> int:
        return await container.imports.resume_imports()()


def register_booking_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=ALLOCATE_TASK)
    async def allocate(booking_id: str, container: ContainerDep) -> str:
        """Holds a bed for, waitlists or rejects one request; safe to run twice, or at once."""
        booking = await container.bookings.allocate_booking()(UUID(booking_id))
        return booking.state.value

    # Picks up requests whose task was lost (a broker that was down, a worker killed).
    @broker.task(
        task_name=RESUME_ALLOCATIONS_TASK,
        schedule=[{"cron": "* * * * *", "schedule_id": RESUME_ALLOCATIONS_TASK}],
    )
    async def resume_allocations(container: ContainerDep) -> int:
        return await container.bookings.resume_allocations()()

    @broker.task(
        task_name=EXPIRE_HOLDS_TASK,
        schedule=[{"cron": "* * * * *", "schedule_id": EXPIRE_HOLDS_TASK}],
    )
    async def expire_holds(container: ContainerDep) -> int:
        """Releases the beds of unpaid holds past their deadline; returns how many."""
        return await container.bookings.expire_holds()()

    @broker.task(task_name=OFFER_TASK)
    async def offer_freed_bed(booking_id: str, container: ContainerDep) -> str | None:
        """Offers the bed a cancelled booking freed to the waitlist; safe to run twice."""
        offered = await container.bookings.offer_freed_bed()(UUID(booking_id))
        return None if offered is None else str(offered.id)

    @broker.task(task_name=OFFER_BEDS_TASK)
    async def offer_beds(
        bed_ids: list[str], starts_on: str, ends_on: str, container: ContainerDep
    ) -> list[str]:
        """Offers beds a move or a lifted closure freed to the waitlist; safe to run twice."""
        stay = DateRange(date.fromisoformat(starts_on), date.fromisoformat(ends_on))
        beds = [UUID(bed_id) for bed_id in bed_ids]
        return [str(held.id) for held in await container.bookings.offer_beds()(beds, stay)]


def _settings(broker: AsyncBroker) -> Settings:
    """The settings of the container prepare_broker handed to the broker: schedules that
    come from configuration read them here."""
    container: Container = broker.custom_dependency_context[Container]
    return container.settings()


def register_backup_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=BACKUP_RUN_TASK)
    async def run_backup(backup_id: str, container: ContainerDep) -> str:
        """Writes one backup; a second delivery finds it finished and changes nothing."""
        backup = await container.backups.run_backup()(UUID(backup_id))
        return backup.state.value

    cron = _settings(broker).backup_cron
    nightly_schedule = [{"cron": cron, "schedule_id": BACKUP_NIGHTLY_TASK}]

    @broker.task(task_name=BACKUP_NIGHTLY_TASK, schedule=nightly_schedule)
    async def nightly(container: ContainerDep) -> str:
        """The scheduled backup, then retention; a second delivery returns the first's."""
        backup = await container.backups.back_up_now()(BackupTrigger.SCHEDULED)
        return str(backup.id)


def register_directory_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=SYNC_RUN_TASK)
    async def run_sync(run_id: str, container: ContainerDep) -> str:
        """Runs one directory sync; a second delivery finds it finished and changes nothing."""
        run = await container.directory.run_sync()(UUID(run_id))
        return run.state

    settings = _settings(broker)
    # No source, no schedule: the sync is off until DIRECTORY_DROP_DIR or DIRECTORY_FEED_URL.
    schedule = (
        []
        if settings.directory_source == "none"
        else [{"cron": settings.sync_cron, "schedule_id": SYNC_SCHEDULED_TASK}]
    )

    @broker.task(task_name=SYNC_SCHEDULED_TASK, schedule=schedule)
    async def scheduled_sync(container: ContainerDep) -> str:
        run = await container.directory.sync_now()()
        return str(run.id)


def register_payment_tasks(broker: AsyncBroker) -> None:
    @broker.task(
        task_name=WARN_EXPIRING_TASK,
        schedule=[{"cron": "* * * * *", "schedule_id": WARN_EXPIRING_TASK}],
    )
    async def warn_expiring_holds(container: ContainerDep) -> int:
        """Reminds residents whose unpaid hold runs out soon, once each; returns how many."""
        return await container.payments.warn_expiring_holds()()


def register_idempotency_tasks(broker: AsyncBroker) -> None:
    @broker.task(
        task_name=PURGE_IDEMPOTENCY_KEYS_TASK,
        schedule=[{"cron": "17 * * * *", "schedule_id": PURGE_IDEMPOTENCY_KEYS_TASK}],
    )
    async def purge_idempotency_keys(container: ContainerDep) -> int:
        """Deletes the Idempotency-Key records past IDEMPOTENCY_KEY_HOURS; returns how many."""
        return await container.idempotency.purge_idempotency_keys()()


def _every(cron: str, schedule_id: str) -> list[dict[str, str]]:
    return [{"cron": cron, "schedule_id": schedule_id}]


def register_maintenance_tasks(broker: AsyncBroker) -> None:
    @broker.task(task_name=TRIAGE_TASK)
    async def triage(request_id: str, container: ContainerDep) -> str:
        """Sets a request's deadline and estimate and assigns it; safe to run twice."""
        request = await container.maintenance.triage_maintenance_request()(UUID(request_id))
        return request.state.value

    # Picks up requests whose triage task was lost.
    @broker.task(task_name=RESUME_TRIAGE_TASK, schedule=_every("* * * * *", RESUME_TRIAGE_TASK))
    async def resume_triage(container: ContainerDep) -> int:
        return await container.maintenance.resume_maintenance_triage()()

    @broker.task(task_name=ESCALATE_TASK, schedule=_every("* * * * *", ESCALATE_TASK))
    async def escalate(container: ContainerDep) -> int:
        """Marks requests past their deadline overdue; one email per escalation level."""
        return await container.maintenance.escalate_overdue_maintenance()()

    @broker.task(task_name=AUTO_CLOSE_TASK, schedule=_every("7 * * * *", AUTO_CLOSE_TASK))
    async def auto_close(container: ContainerDep) -> int:
        return await container.maintenance.close_resolved_maintenance()()

    # Work orders are made days ahead (a schedule's lead time): every ten minutes is plenty,
    # and the unique occurrence key makes overlapping runs harmless.
    @broker.task(task_name=GENERATE_TASK, schedule=_every("*/10 * * * *", GENERATE_TASK))
    async def generate(container: ContainerDep) -> int:
        """One work order per due occurrence of every unpaused schedule, made once."""
        return await container.maintenance.generate_preventive_work()()


TASK_REGISTRARS: tuple[TaskRegistrar, ...] = (
    register_system_tasks,
    register_notification_tasks,
    register_announcement_tasks,
    register_import_tasks,
    register_booking_tasks,
    register_backup_tasks,
    register_directory_tasks,
    register_payment_tasks,
    register_idempotency_tasks,
    register_maintenance_tasks,
)


def prepare_broker(container: Container) -> AsyncBroker:
    """The container's broker with every task declared and the container injectable into them.
    Safe to call more than once: the HTTP app, the worker and the scheduler all call it."""
    broker: AsyncBroker = container.broker()
    if broker.state.get(_PREPARED, False):
        return broker
    broker.add_dependency_context({Container: container})
    for register in TASK_REGISTRARS:
        register(broker)
    broker.state[_PREPARED] = True
    return broker


async def start_client_broker(container: Container) -> AsyncBroker:
    """Starts the broker of a process that kicks tasks (the API, the scheduler).

    A Redis that is down at that moment must not keep the API from starting: requests that need
    no task keep working, /health/ready names the broker as the failing part, and the connection
    pool reconnects by itself once Redis answers."""
    broker = prepare_broker(container)
    try:
        await broker.startup()
    except (RedisError, OSError) as error:
        logger.error("task broker unreachable at startup (%s); kicking tasks will fail", error)
    return broker
