"""Preventive maintenance schedules, their previews, and the work orders they make."""

from dataclasses import replace
from uuid import UUID

from msgspec import UNSET

from application.maintenance.commands import (
    CreateScheduleCommand,
    RecurrenceInput,
    SchedulePatch,
)
from application.maintenance.ports import (
    MaintenanceDirectory,
    MaintenanceQueries,
    MaintenanceUnitOfWorkFactory,
)
from application.maintenance.requests import place_named
from application.maintenance.triage import TriageRequest, triage_each
from application.maintenance.views import (
    OccurrencesView,
    ScheduleFilter,
    SchedulePage,
    ScheduleView,
    schedule_view,
)
from application.shared.paging import PageRequest
from application.shared.ports import Clock
from domain.maintenance.model import HistoryEntry, RequestState
from domain.maintenance.recurrence import Interval, Recurrence, next_occurrences, parse_cron
from domain.maintenance.schedules import MaintenanceSchedule, due_occurrences, work_order_for
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.money import Money

GENERATE_TASK = "maintenance.generate"
MAX_PREVIEW = 100


def recurrence_of(given: RecurrenceInput) -> Recurrence:
    if given.cron is not None:
        if given.every is not None or given.unit is not None:
            raise InvalidValue("recurrence.cron", "give a cron expression or every and unit")
        return parse_cron(given.cron)
    if given.every is None:
        raise InvalidValue("recurrence.every", "give every and unit, or a cron expression")
    if given.unit is None:
        raise InvalidValue("recurrence.unit", "say days, weeks or months")
    return Interval(given.every, given.unit)


class CreateSchedule:
    """The office schedules preventive work for a room (`room_id`) or a whole building
    (`building_id`): a title, a category, a recurrence (every N days, weeks or months from
    `starts_on`, or a 5-field cron expression), a lead time in days (how far ahead each work
    order is made), an estimated cost and a paused flag. Unknown places, a malformed cron
    expression or one that never fires answer 422 naming the field."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory, directory: MaintenanceDirectory) -> None:
        self._uow = uow
        self._directory = directory

    async def __call__(self, caller_id: UUID, command: CreateScheduleCommand) -> ScheduleView:
        place = await place_named(self._directory, command.building_id, command.room_id)
        cost = command.estimated_cost
        schedule = MaintenanceSchedule(
            title=command.title.strip(),
            category=command.category,
            building_id=place.building_id,
            room_id=place.room_id,
            recurrence=recurrence_of(command.recurrence),
            starts_on=command.starts_on,
            lead_days=command.lead_days,
            estimated_cost=None
            if cost is None
            else Money.of(cost.amount, cost.currency, "estimated_cost.amount"),
            priority=command.priority,
            paused=command.paused,
            created_by=caller_id,
        )
        async with self._uow() as uow:
            await uow.schedules.add(schedule)
            await uow.commit()
        return schedule_view(schedule)


def _changes(patch: SchedulePatch) -> dict[str, object]:
    changes: dict[str, object] = {
        name: getattr(patch, name)
        for name in ("title", "category", "starts_on", "lead_days", "priority", "paused")
        if getattr(patch, name) is not UNSET
    }
    if patch.recurrence is not UNSET:
        changes["recurrence"] = recurrence_of(patch.recurrence)
    if patch.estimated_cost is not UNSET:
        cost = patch.estimated_cost
        changes["estimated_cost"] = (
            None if cost is None else Money.of(cost.amount, cost.currency, "estimated_cost.amount")
        )
    return changes


class UpdateSchedule:
    """Changes a schedule (its place stays: make another schedule for another place). Work
    orders already made stay as they are; pausing stops new ones."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, schedule_id: UUID, patch: SchedulePatch) -> ScheduleView:
        async with self._uow() as uow:
            schedule = await uow.schedules.get(schedule_id)
            if schedule is None:
                raise NotFound("maintenance schedule", schedule_id)
            changed = replace(schedule, **_changes(patch))  # type: ignore[arg-type]
            await uow.schedules.update(changed)
            await uow.commit()
        return schedule_view(changed)


class DeleteSchedule:
    """Deletes a schedule; the work orders it made stay, with their schedule id."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, schedule_id: UUID) -> None:
        async with self._uow() as uow:
            if await uow.schedules.get(schedule_id) is None:
                raise NotFound("maintenance schedule", schedule_id)
            await uow.schedules.delete(schedule_id)
            await uow.commit()


class GetSchedule:
    """Reads a schedule."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, schedule_id: UUID) -> ScheduleView:
        async with self._uow() as uow:
            schedule = await uow.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound("maintenance schedule", schedule_id)
        return schedule_view(schedule)


class ListSchedules:
    """Lists schedules by title, filtered by `building_id`, `room_id` and `paused`."""

    def __init__(self, queries: MaintenanceQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: ScheduleFilter, page: PageRequest) -> SchedulePage:
        return await self._queries.schedules(criteria, page)


class PreviewOccurrences:
    """The next `count` (1 to 100) dates of a schedule from today (or from `starts_on` when it
    lies ahead), paused or not."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, schedule_id: UUID, count: int) -> OccurrencesView:
        if not 1 <= count <= MAX_PREVIEW:
            raise InvalidValue("count", f"must be from 1 to {MAX_PREVIEW}")
        async with self._uow() as uow:
            schedule = await uow.schedules.get(schedule_id)
        if schedule is None:
            raise NotFound("maintenance schedule", schedule_id)
        today = self._clock.now().date()
        found = next_occurrences(schedule.recurrence, schedule.starts_on, today, count)
        return OccurrencesView(schedule_id=schedule.id, occurrences=found)


class GeneratePreventiveWork:
    """The scheduler's task: for every unpaused schedule, one work order per occurrence from
    today to `lead_days` ahead, each inserted only if absent (a unique key on schedule and
    occurrence date), so that two generators at once, or a restart, make each one once. Each
    new work order is triaged at once. Returns how many it made."""

    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, triage: TriageRequest, clock: Clock
    ) -> None:
        self._uow = uow
        self._triage = triage
        self._clock = clock

    async def __call__(self) -> int:
        async with self._uow() as uow:
            schedules = await uow.schedules.unpaused()
        made: list[UUID] = []
        for schedule in schedules:
            made += await self._generate(schedule)
        await triage_each(self._triage, made)
        return len(made)

    async def _generate(self, schedule: MaintenanceSchedule) -> list[UUID]:
        now = self._clock.now()
        made = []
        for occurrence in due_occurrences(schedule, now.date()):
            order = work_order_for(schedule, occurrence, now)
            async with self._uow() as uow:
                if not await uow.requests.add_if_absent(order):
                    continue
                note = f"preventive work for {occurrence.isoformat()} from a schedule"
                entry = HistoryEntry(order.id, "generate", None, RequestState.SUBMITTED, now)
                await uow.requests.record(replace(entry, note=note))
                await uow.commit()
            made.append(order.id)
        return made
