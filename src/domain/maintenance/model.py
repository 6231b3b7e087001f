"""Maintenance: residents' requests and preventive work orders, from submission to closing.

    submitted --assign--> assigned --start--> in_progress <--hold/resume--> on_hold
    in_progress --resolve--> resolved --close--> closed
    submitted, assigned, in_progress, on_hold --cancel--> cancelled

Being overdue is not a state: a request past its SLA keeps its state and carries `overdue` and
the `escalation_level` staff were last alerted at.

Room impact is designed in but not wired yet: a request names its room (or only a building), so
a closure of that room for a period can later be attached to the request by its id without
changing this model.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID, uuid4

from domain.shared.money import Money


class Category(StrEnum):
    PLUMBING = "plumbing"
    ELECTRICAL = "electrical"
    HEATING = "heating"
    APPLIANCE = "appliance"
    FURNITURE = "furniture"
    LOCKS = "locks"
    PEST = "pest"
    CLEANING = "cleaning"
    INTERNET = "internet"
    OTHER = "other"


class Priority(StrEnum):
    EMERGENCY = "emergency"
    HIGH = "high"
    ROUTINE = "routine"
    LOW = "low"


class RequestState(StrEnum):
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    ON_HOLD = "on_hold"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


# Work still to do: what counts towards a technician's load and what can become overdue.
OPEN_STATES = frozenset(
    {
        RequestState.SUBMITTED,
        RequestState.ASSIGNED,
        RequestState.IN_PROGRESS,
        RequestState.ON_HOLD,
    }
)


@dataclass(frozen=True, slots=True)
class Part:
    name: str
    cost: Money


@dataclass(frozen=True, slots=True)
class Resolution:
    """What the technician records when the work is done."""

    labour_hours: Decimal
    parts: tuple[Part, ...]
    actual_cost: Money
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MaintenanceRequest:
    building_id: UUID
    category: Category
    priority: Priority
    description: str
    submitted_at: datetime
    # None for a request about a whole building (the office's, or a preventive one).
    room_id: UUID | None = None
    state: RequestState = RequestState.SUBMITTED
    # Who asked: the resident it is for, and the account that submitted it (None: the scheduler).
    resident_id: UUID | None = None
    submitted_by: UUID | None = None
    permission_to_enter: bool = False
    preferred_times: str | None = None
    technician_id: UUID | None = None  # the technician's user id
    due_at: datetime | None = None  # the SLA deadline, set by triage
    estimated_cost: Money | None = None
    triaged_at: datetime | None = None
    overdue: bool = False
    escalation_level: int = 0
    resolution: Resolution | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    rating: int | None = None
    # A preventive work order: the schedule and the occurrence it was generated for.
    schedule_id: UUID | None = None
    occurrence_date: date | None = None
    # The background job that reports the request's triage.
    job_id: UUID | None = None
    updated_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @property
    def open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One step of a request's life: a transition, or an escalation (same state on both sides)."""

    request_id: UUID
    action: str
    from_state: RequestState | None
    to_state: RequestState
    at: datetime
    actor_id: UUID | None = None  # None: the system (triage, escalation, auto-close)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Technician:
    """A technician's profile; `user_id` is their account, whose role is technician."""

    user_id: UUID
    name: str
    skills: frozenset[Category]
    active: bool = True


@dataclass(frozen=True, slots=True)
class TechnicianLoad:
    """A technician as triage sees them: their profile and their count of open assignments."""

    technician: Technician
    open_assignments: int
