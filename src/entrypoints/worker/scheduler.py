"""The scheduler: kicks the tasks whose labels declare a schedule, when they are due.

Safe to run more than once (a second `residence scheduler` for availability, or during a
rolling upgrade): before kicking a firing, a scheduler claims (schedule, slot) in the database,
and only the one whose claim lands kicks it."""

import logging
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from taskiq import AsyncBroker, ScheduledTask, TaskiqScheduler
from taskiq.api import run_scheduler_task
from taskiq.exceptions import ScheduledTaskCancelledError
from taskiq.schedule_sources import LabelScheduleSource

logger = logging.getLogger(__name__)

# Schedules come from task labels, fixed at start-up; there is nothing to re-read often.
SCHEDULE_REFRESH = timedelta(minutes=5)
# Claims older than this are deleted: long past any clock skew between two schedulers.
CLAIMS_KEPT = timedelta(days=2)


class ScheduleClaims(Protocol):
    async def claim(self, schedule_id: str, slot: datetime, claimant: str) -> bool: ...
    async def forget_before(self, cutoff: datetime) -> int: ...


def firing_slot(task: ScheduledTask, now: datetime) -> datetime:
    """The slot a firing belongs to: its minute for a cron schedule (cron's own resolution),
    its period for an interval one. Two schedulers firing the same schedule at slightly
    different instants land in the same slot."""
    interval = task.interval
    if interval is not None:
        period = interval.total_seconds() if isinstance(interval, timedelta) else interval
        seconds = max(1, int(period))
        epoch_seconds = int(now.timestamp()) // seconds * seconds
        return datetime.fromtimestamp(epoch_seconds, UTC)
    return now.astimezone(UTC).replace(second=0, microsecond=0)


class ClaimedLabelScheduleSource(LabelScheduleSource):
    """The schedules of the task labels; a firing is kicked only by the scheduler that claims
    it."""

    def __init__(self, broker: AsyncBroker, claims: ScheduleClaims) -> None:
        super().__init__(broker)
        self._claims = claims
        self._claimant = f"{socket.gethostname()}:{os.getpid()}"
        self._last_purge: datetime | None = None

    async def pre_send(self, task: ScheduledTask) -> None:
        now = datetime.now(UTC)
        slot = firing_slot(task, now)
        if not await self._claims.claim(task.schedule_id, slot, self._claimant):
            logger.debug("%s at %s was kicked by another scheduler", task.schedule_id, slot)
            raise ScheduledTaskCancelledError
        if self._last_purge is None or now - self._last_purge > timedelta(hours=1):
            self._last_purge = now
            await self._claims.forget_before(now - CLAIMS_KEPT)


def create_scheduler(broker: AsyncBroker, claims: ScheduleClaims | None = None) -> TaskiqScheduler:
    """`claims` makes the scheduler safe to run twice; without it, it kicks every firing."""
    source = (
        LabelScheduleSource(broker)
        if claims is None
        else ClaimedLabelScheduleSource(broker, claims)
    )
    return TaskiqScheduler(broker=broker, sources=[source])


def declared_schedules(broker: AsyncBroker) -> list[tuple[str, dict[str, Any]]]:
    """(task name, schedule) for every schedule label of every task."""
    return [
        (name, schedule)
        for name, task in sorted(broker.get_all_tasks().items())
        for schedule in task.labels.get("schedule", [])
    ]


def _describe(schedule: dict[str, Any]) -> str:
    for key in ("cron", "interval", "time"):
        if schedule.get(key) is not None:
            return f"{key} {schedule[key]}"
    return "no timing (ignored)"


def log_schedules(broker: AsyncBroker) -> None:
    schedules = declared_schedules(broker)
    if not schedules:
        logger.info("scheduler running; no task declares a schedule yet")
    for name, schedule in schedules:
        logger.info("scheduling %s: %s", name, _describe(schedule))


async def run_scheduler(scheduler: TaskiqScheduler) -> None:
    """Runs until cancelled. The broker must already be started by the caller, which owns it."""
    log_schedules(scheduler.broker)
    await run_scheduler_task(scheduler, run_startup=False, interval=SCHEDULE_REFRESH)
