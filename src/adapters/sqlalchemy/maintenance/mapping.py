"""Maintenance rows to domain objects and back."""

from decimal import Decimal
from typing import Any

from sqlalchemy import Row

from domain.maintenance.model import (
    Category,
    HistoryEntry,
    MaintenanceRequest,
    Part,
    Priority,
    RequestState,
    Resolution,
    Technician,
)
from domain.maintenance.recurrence import Interval, Unit, parse_cron
from domain.maintenance.schedules import MaintenanceSchedule
from domain.shared.money import Money

HUNDRED = Decimal(100)


def _money(cents: int | None, currency: str | None) -> Money | None:
    return None if cents is None or currency is None else Money.from_cents(cents, currency)


def _resolution_values(resolution: Resolution | None) -> dict[str, Any]:
    if resolution is None:
        return {
            "labour_centihours": None,
            "parts": None,
            "actual_cost_cents": None,
            "actual_currency": None,
            "resolution_note": None,
        }
    return {
        "labour_centihours": int(resolution.labour_hours * HUNDRED),
        "parts": [
            {"name": p.name, "cents": p.cost.cents, "currency": p.cost.currency}
            for p in resolution.parts
        ],
        "actual_cost_cents": resolution.actual_cost.cents,
        "actual_currency": resolution.actual_cost.currency,
        "resolution_note": resolution.note,
    }


def request_values(request: MaintenanceRequest) -> dict[str, Any]:
    estimate = request.estimated_cost
    return {
        "id": request.id,
        "state": request.state.value,
        "category": request.category.value,
        "priority": request.priority.value,
        "description": request.description,
        "building_id": request.building_id,
        "room_id": request.room_id,
        "resident_id": request.resident_id,
        "submitted_by": request.submitted_by,
        "permission_to_enter": request.permission_to_enter,
        "preferred_times": request.preferred_times,
        "technician_id": request.technician_id,
        "submitted_at": request.submitted_at,
        "triaged_at": request.triaged_at,
        "due_at": request.due_at,
        "overdue": request.overdue,
        "escalation_level": request.escalation_level,
        "estimated_cost_cents": None if estimate is None else estimate.cents,
        "estimated_currency": None if estimate is None else estimate.currency,
        **_resolution_values(request.resolution),
        "resolved_at": request.resolved_at,
        "closed_at": request.closed_at,
        "rating": request.rating,
        "schedule_id": request.schedule_id,
        "occurrence_date": request.occurrence_date,
        "job_id": request.job_id,
    }


def _resolution(row: Row[Any]) -> Resolution | None:
    actual = _money(row.actual_cost_cents, row.actual_currency)
    if actual is None:
        return None
    return Resolution(
        labour_hours=Decimal(row.labour_centihours or 0) / HUNDRED,
        parts=tuple(
            Part(p["name"], Money.from_cents(p["cents"], p["currency"])) for p in row.parts or []
        ),
        actual_cost=actual,
        note=row.resolution_note,
    )


def request_from(row: Row[Any]) -> MaintenanceRequest:
    return MaintenanceRequest(
        id=row.id,
        state=RequestState(row.state),
        category=Category(row.category),
        priority=Priority(row.priority),
        description=row.description,
        building_id=row.building_id,
        room_id=row.room_id,
        resident_id=row.resident_id,
        submitted_by=row.submitted_by,
        permission_to_enter=row.permission_to_enter,
        preferred_times=row.preferred_times,
        technician_id=row.technician_id,
        submitted_at=row.submitted_at,
        triaged_at=row.triaged_at,
        due_at=row.due_at,
        overdue=row.overdue,
        escalation_level=row.escalation_level,
        estimated_cost=_money(row.estimated_cost_cents, row.estimated_currency),
        resolution=_resolution(row),
        resolved_at=row.resolved_at,
        closed_at=row.closed_at,
        rating=row.rating,
        schedule_id=row.schedule_id,
        occurrence_date=row.occurrence_date,
        job_id=row.job_id,
        updated_at=row.updated_at,
    )


def history_values(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "request_id": entry.request_id,
        "action": entry.action,
        "from_state": None if entry.from_state is None else entry.from_state.value,
        "to_state": entry.to_state.value,
        "at": entry.at,
        "actor_id": entry.actor_id,
        "note": entry.note,
    }


def history_from(row: Row[Any]) -> HistoryEntry:
    return HistoryEntry(
        request_id=row.request_id,
        action=row.action,
        from_state=None if row.from_state is None else RequestState(row.from_state),
        to_state=RequestState(row.to_state),
        at=row.at,
        actor_id=row.actor_id,
        note=row.note,
    )


def technician_values(technician: Technician) -> dict[str, Any]:
    return {
        "user_id": technician.user_id,
        "name": technician.name,
        "skills": sorted(skill.value for skill in technician.skills),
        "active": technician.active,
    }


def technician_from(row: Row[Any]) -> Technician:
    return Technician(
        user_id=row.user_id,
        name=row.name,
        skills=frozenset(Category(skill) for skill in row.skills),
        active=row.active,
    )


def schedule_values(schedule: MaintenanceSchedule) -> dict[str, Any]:
    recurrence = schedule.recurrence
    interval = recurrence if isinstance(recurrence, Interval) else None
    estimate = schedule.estimated_cost
    return {
        "id": schedule.id,
        "title": schedule.title,
        "category": schedule.category.value,
        "priority": schedule.priority.value,
        "building_id": schedule.building_id,
        "room_id": schedule.room_id,
        "every": None if interval is None else interval.every,
        "unit": None if interval is None else interval.unit.value,
        "cron": None if isinstance(recurrence, Interval) else recurrence.text,
        "starts_on": schedule.starts_on,
        "lead_days": schedule.lead_days,
        "estimated_cost_cents": None if estimate is None else estimate.cents,
        "estimated_currency": None if estimate is None else estimate.currency,
        "paused": schedule.paused,
        "created_by": schedule.created_by,
    }


def schedule_from(row: Row[Any]) -> MaintenanceSchedule:
    recurrence = (
        parse_cron(row.cron) if row.cron is not None else Interval(row.every, Unit(row.unit))
    )
    return MaintenanceSchedule(
        id=row.id,
        title=row.title,
        category=Category(row.category),
        priority=Priority(row.priority),
        building_id=row.building_id,
        room_id=row.room_id,
        recurrence=recurrence,
        starts_on=row.starts_on,
        lead_days=row.lead_days,
        estimated_cost=_money(row.estimated_cost_cents, row.estimated_currency),
        paused=row.paused,
        created_by=row.created_by,
    )
