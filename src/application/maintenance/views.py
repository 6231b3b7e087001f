"""What maintenance reads return: response bodies, pages and filters."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.housing.views import MoneyView
from application.shared.structs import View
from application.shared.views import Page
from domain.maintenance.model import (
    Category,
    HistoryEntry,
    MaintenanceRequest,
    Priority,
    RequestState,
    Technician,
)
from domain.maintenance.recurrence import Interval, Unit
from domain.maintenance.schedules import MaintenanceSchedule
from domain.shared.money import Money


class PartView(View):
    name: str
    cost: MoneyView


class HistoryView(View):
    action: Annotated[str, msgspec.Meta(examples=["assign"])]
    from_state: RequestState | None
    to_state: RequestState
    at: datetime
    actor_id: Annotated[UUID | None, msgspec.Meta(description="None: the system")]
    note: str | None


class RequestView(View):
    id: UUID
    state: RequestState
    category: Category
    priority: Priority
    description: str
    building_id: UUID
    room_id: Annotated[UUID | None, msgspec.Meta(description="None: the whole building")]
    resident_id: UUID | None
    submitted_by: UUID | None
    permission_to_enter: bool
    preferred_times: str | None
    technician_id: UUID | None
    due_at: Annotated[datetime | None, msgspec.Meta(description="The SLA deadline")]
    overdue: bool
    escalation_level: int
    estimated_cost: MoneyView | None
    labour_hours: Decimal | None
    parts: list[PartView]
    actual_cost: MoneyView | None
    resolution_note: str | None
    rating: Annotated[int, msgspec.Meta(ge=1, le=5)] | None
    schedule_id: Annotated[UUID | None, msgspec.Meta(description="A preventive work order's")]
    occurrence_date: date | None
    submitted_at: datetime
    triaged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None


class RequestDetailView(RequestView, kw_only=True):
    history: Annotated[list[HistoryView], msgspec.Meta(description="Oldest first")]


class SubmittedRequestView(RequestView, kw_only=True):
    job_id: Annotated[UUID, msgspec.Meta(description="The triage job: GET /api/jobs/{id}")]


class RequestPage(Page):
    items: list[RequestView]


class RequestOrder(StrEnum):
    NEWEST = "newest"  # the latest submitted first
    DUE = "due"  # the earliest deadline first, undated last


class RequestFilter(msgspec.Struct, frozen=True, kw_only=True):
    resident_id: UUID | None = None
    technician_id: UUID | None = None
    building_id: UUID | None = None
    state: RequestState | None = None
    priority: Priority | None = None
    category: Category | None = None
    overdue: bool | None = None
    open_only: bool = False
    order: RequestOrder = RequestOrder.NEWEST


class TechnicianView(View):
    user_id: UUID
    name: str
    skills: list[Category]
    active: bool
    open_assignments: int


class TechnicianPage(Page):
    items: list[TechnicianView]


class RecurrenceView(View):
    every: int | None
    unit: Unit | None
    cron: str | None


class ScheduleView(View):
    id: UUID
    title: str
    category: Category
    building_id: UUID
    room_id: UUID | None
    recurrence: RecurrenceView
    starts_on: date
    lead_days: int
    estimated_cost: MoneyView | None
    priority: Priority
    paused: bool


class SchedulePage(Page):
    items: list[ScheduleView]


class ScheduleFilter(msgspec.Struct, frozen=True, kw_only=True):
    building_id: UUID | None = None
    room_id: UUID | None = None
    paused: bool | None = None


class OccurrencesView(View):
    schedule_id: UUID
    occurrences: list[date]


class MonthlyCostView(View):
    building_id: UUID
    month: Annotated[str, msgspec.Meta(examples=["2026-09"])]
    requests: int
    estimated: MoneyView
    actual: Annotated[MoneyView, msgspec.Meta(description="Of the resolved requests")]


class MaintenanceReportView(View):
    open_by_priority: dict[str, int]
    open_by_category: dict[str, int]
    overdue: int
    median_hours_to_resolve: Decimal | None
    costs: Annotated[
        list[MonthlyCostView],
        msgspec.Meta(description="Per building and month of submission; cancelled left out"),
    ]


def money_view(money: Money) -> MoneyView:
    return MoneyView(amount=money.amount, currency=money.currency)


def maybe_money_view(money: Money | None) -> MoneyView | None:
    return None if money is None else money_view(money)


def _request_fields(request: MaintenanceRequest) -> dict[str, Any]:
    resolution = request.resolution
    return {
        "id": request.id,
        "state": request.state,
        "category": request.category,
        "priority": request.priority,
        "description": request.description,
        "building_id": request.building_id,
        "room_id": request.room_id,
        "resident_id": request.resident_id,
        "submitted_by": request.submitted_by,
        "permission_to_enter": request.permission_to_enter,
        "preferred_times": request.preferred_times,
        "technician_id": request.technician_id,
        "due_at": request.due_at,
        "overdue": request.overdue,
        "escalation_level": request.escalation_level,
        "estimated_cost": maybe_money_view(request.estimated_cost),
        "labour_hours": None if resolution is None else resolution.labour_hours,
        "parts": []
        if resolution is None
        else [PartView(name=p.name, cost=money_view(p.cost)) for p in resolution.parts],
        "actual_cost": None if resolution is None else money_view(resolution.actual_cost),
        "resolution_note": None if resolution is None else resolution.note,
        "rating": request.rating,
        "schedule_id": request.schedule_id,
        "occurrence_date": request.occurrence_date,
        "submitted_at": request.submitted_at,
        "triaged_at": request.triaged_at,
        "resolved_at": request.resolved_at,
        "closed_at": request.closed_at,
    }


def request_view(request: MaintenanceRequest) -> RequestView:
    return RequestView(**_request_fields(request))


def submitted_view(request: MaintenanceRequest, job_id: UUID) -> SubmittedRequestView:
    return SubmittedRequestView(**_request_fields(request), job_id=job_id)


def history_view(entry: HistoryEntry) -> HistoryView:
    return HistoryView(
        action=entry.action,
        from_state=entry.from_state,
        to_state=entry.to_state,
        at=entry.at,
        actor_id=entry.actor_id,
        note=entry.note,
    )


def detail_view(request: MaintenanceRequest, history: list[HistoryEntry]) -> RequestDetailView:
    return RequestDetailView(
        **_request_fields(request), history=[history_view(entry) for entry in history]
    )


def request_event(request: MaintenanceRequest) -> dict[str, Any]:
    """Pushed after each change: the request as GET shows it (without history), typed."""
    return {"type": "maintenance_request", **msgspec.to_builtins(request_view(request))}


def technician_view(technician: Technician, open_assignments: int) -> TechnicianView:
    return TechnicianView(
        user_id=technician.user_id,
        name=technician.name,
        skills=sorted(technician.skills),
        active=technician.active,
        open_assignments=open_assignments,
    )


def schedule_view(schedule: MaintenanceSchedule) -> ScheduleView:
    recurrence = schedule.recurrence
    if isinstance(recurrence, Interval):
        shape = RecurrenceView(every=recurrence.every, unit=recurrence.unit, cron=None)
    else:
        shape = RecurrenceView(every=None, unit=None, cron=recurrence.text)
    return ScheduleView(
        id=schedule.id,
        title=schedule.title,
        category=schedule.category,
        building_id=schedule.building_id,
        room_id=schedule.room_id,
        recurrence=shape,
        starts_on=schedule.starts_on,
        lead_days=schedule.lead_days,
        estimated_cost=maybe_money_view(schedule.estimated_cost),
        priority=schedule.priority,
        paused=schedule.paused,
    )
