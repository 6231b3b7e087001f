"""The scheduler: kicks the tasks whose labels declare a schedule, when they are due.

Run exactly one per deployment (`residence scheduler`, or inside `residence dev`): two schedulers
would kick every scheduled task twice."""

import logging
from datetime import timedelta
from typing import Any

from taskiq import AsyncBroker, TaskiqScheduler
from taskiq.api import run_scheduler_task
from taskiq.schedule_sources import LabelScheduleSource

logger = logging.getLogger(__name__)

# Schedules come from task labels, fixed at start-up; there is nothing to re-read often.
SCHEDULE_REFRESH = timedelta(minutes=5)


def create_scheduler(broker: AsyncBroker) -> TaskiqScheduler:
    return TaskiqScheduler(broker=broker, sources=[LabelScheduleSource(broker)])


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
