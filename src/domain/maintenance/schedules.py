"""Preventive maintenance: a schedule for a building or a room, and the work orders it makes.

A work order is made `lead_days` before its occurrence, so the work can be planned; it is due
at the end of its occurrence day (UTC). Occurrences before today are never made: a generator
that was down does not flood the queue with past work, and staff see the gap in the schedule's
previews. One work order per (schedule, occurrence date): the database's unique key makes it so
even when two generators run at once."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID, uuid4

from domain.maintenance.model import Category, MaintenanceRequest, Priority
from domain.maintenance.recurrence import Recurrence, occurrences_between
from domain.shared.errors import InvalidValue
from domain.shared.money import Money

MAX_LEAD_DAYS = 365


@dataclass(frozen=True, slots=True)
class MaintenanceSchedule:
    title: str
    category: Category
    building_id: UUID
    recurrence: Recurrence
    starts_on: date  # the anchor of an interval; the first day a cron may fire
    room_id: UUID | None = None
    lead_days: int = 0
    estimated_cost: Money | None = None
    priority: Priority = Priority.ROUTINE
    paused: bool = False
    created_by: UUID | None = None
    id: UUID = field(default_factory=uuid4)

    def __post_init__(self) -> None:
        if not 0 <= self.lead_days <= MAX_LEAD_DAYS:
            raise InvalidValue("lead_days", f"must be from 0 to {MAX_LEAD_DAYS}")
        if not self.title.strip():
            raise InvalidValue("title", "must not be empty")


def due_occurrences(schedule: MaintenanceSchedule, today: date) -> list[date]:
    """Occurrences whose work order is due to be made today: from today up to `lead_days`
    ahead. None for a paused schedule."""
    if schedule.paused:
        return []
    last = today + timedelta(days=schedule.lead_days)
    return occurrences_between(schedule.recurrence, schedule.starts_on, today, last)


def work_order_for(
    schedule: MaintenanceSchedule, occurrence: date, now: datetime
) -> MaintenanceRequest:
    return MaintenanceRequest(
        building_id=schedule.building_id,
        room_id=schedule.room_id,
        category=schedule.category,
        priority=schedule.priority,
        description=f"{schedule.title} (preventive, {occurrence.isoformat()})",
        submitted_at=now,
        permission_to_enter=True,
        estimated_cost=schedule.estimated_cost,
        due_at=datetime.combine(occurrence + timedelta(days=1), time(0), tzinfo=UTC),
        schedule_id=schedule.id,
        occurrence_date=occurrence,
    )
