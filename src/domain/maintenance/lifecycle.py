"""The state machine of a maintenance request, as pure functions.

Each step takes a request and returns its next version stamped `updated_at=now`, with the
history entry that records it; a step the state does not allow raises IllegalTransition.
`NEXT_STATE` is the whole machine, one row per (state, action).

Decisions:
- Assigning is allowed again while assigned (a reassignment) and on hold (a new technician
  picks the work up later); the request goes back to `assigned`.
- A resident may cancel their own request only before work starts; the office at any time
  before it is resolved.
- Rating is once, by the resident, on resolved or closed work.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from domain.maintenance.errors import AlreadyRated, IllegalTransition
from domain.maintenance.model import HistoryEntry, MaintenanceRequest, RequestState, Resolution
from domain.shared.errors import InvalidValue

MAX_NOTE_LENGTH = 1000
MAX_LABOUR_HOURS = 1000
S = RequestState


class Action(StrEnum):
    """Each value completes "a submitted request cannot ...", the message of IllegalTransition."""

    ASSIGN = "be assigned"
    START = "be started"
    HOLD = "be put on hold"
    RESUME = "be resumed"
    RESOLVE = "be resolved"
    CLOSE = "be closed"
    CANCEL = "be cancelled"
    RATE = "be rated"
    ESCALATE = "be escalated"


NEXT_STATE: Mapping[tuple[RequestState, Action], RequestState] = {
    (S.SUBMITTED, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.ASSIGN): S.ASSIGNED,
    (S.ON_HOLD, Action.ASSIGN): S.ASSIGNED,
    (S.ASSIGNED, Action.START): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.HOLD): S.ON_HOLD,
    (S.ON_HOLD, Action.RESUME): S.IN_PROGRESS,
    (S.IN_PROGRESS, Action.RESOLVE): S.RESOLVED,
    (S.RESOLVED, Action.CLOSE): S.CLOSED,
    (S.SUBMITTED, Action.CANCEL): S.CANCELLED,
    (S.ASSIGNED, Action.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, Action.CANCEL): S.CANCELLED,
    (S.ON_HOLD, Action.CANCEL): S.CANCELLED,
    # Rating changes no state.
    (S.RESOLVED, Action.RATE): S.RESOLVED,
    (S.CLOSED, Action.RATE): S.CLOSED,
}
# Before work starts: what a resident may still cancel themself.
RESIDENT_CANCELLABLE = frozenset({S.SUBMITTED, S.ASSIGNED})


def next_state(current: RequestState, action: Action) -> RequestState:
    try:
        return NEXT_STATE[(current, action)]
    except KeyError:
        raise IllegalTransition(current.value, action.value) from None


def check_note(note: str | None, required: bool = False) -> str | None:
    cleaned = None if note is None else note.strip() or None
    if cleaned is None and required:
        raise InvalidValue("note", "say why")
    if cleaned is not None and len(cleaned) > MAX_NOTE_LENGTH:
        raise InvalidValue("note", f"use at most {MAX_NOTE_LENGTH} characters")
    return cleaned


Step = tuple[MaintenanceRequest, HistoryEntry]


def _step(
    request: MaintenanceRequest,
    action: Action,
    now: datetime,
    actor_id: UUID | None,
    note: str | None,
    **changes: object,
) -> Step:
    state = next_state(request.state, action)
    changed = replace(request, state=state, updated_at=now, **changes)  # type: ignore[arg-type]
    entry = HistoryEntry(
        request_id=request.id,
        action=action.name.lower(),
        from_state=request.state,
        to_state=state,
        at=now,
        actor_id=actor_id,
        note=note,
    )
    return changed, entry


def assign(
    request: MaintenanceRequest,
    technician_id: UUID,
    now: datetime,
    actor_id: UUID | None,
    note: str | None = None,
) -> Step:
    return _step(
        request, Action.ASSIGN, now, actor_id, check_note(note), technician_id=technician_id
    )


def start(request: MaintenanceRequest, now: datetime, actor_id: UUID, note: str | None) -> Step:
    return _step(request, Action.START, now, actor_id, check_note(note))


def hold(request: MaintenanceRequest, now: datetime, actor_id: UUID, note: str | None) -> Step:
    """Work waits (for a part, for access): the reason is required, the resident reads it."""
    next_state(request.state, Action.HOLD)  # a wrong state is the first thing to report
    return _step(request, Action.HOLD, now, actor_id, check_note(note, required=True))


def resume(request: MaintenanceRequest, now: datetime, actor_id: UUID, note: str | None) -> Step:
    return _step(request, Action.RESUME, now, actor_id, check_note(note))


def resolve(
    request: MaintenanceRequest, resolution: Resolution, now: datetime, actor_id: UUID
) -> Step:
    hours = resolution.labour_hours
    if not hours.is_finite() or not 0 <= hours <= MAX_LABOUR_HOURS:
        raise InvalidValue("labour_hours", f"must be from 0 to {MAX_LABOUR_HOURS}")
    if hours != hours.quantize(Decimal("0.01")):
        raise InvalidValue("labour_hours", "must have at most two decimal places")
    currencies = {resolution.actual_cost.currency, *(p.cost.currency for p in resolution.parts)}
    if len(currencies) > 1:
        raise InvalidValue("actual_cost.currency", "parts and actual cost use one currency")
    note = check_note(resolution.note)
    resolution = replace(resolution, note=note)
    return _step(
        request, Action.RESOLVE, now, actor_id, note, resolution=resolution, resolved_at=now
    )


def close(
    request: MaintenanceRequest, now: datetime, actor_id: UUID | None, note: str | None
) -> Step:
    return _step(request, Action.CLOSE, now, actor_id, check_note(note), closed_at=now)


def cancel(
    request: MaintenanceRequest,
    now: datetime,
    actor_id: UUID,
    by_office: bool,
    note: str | None,
) -> Step:
    if not by_office and request.state not in RESIDENT_CANCELLABLE:
        raise IllegalTransition(request.state.value, "be cancelled by the resident")
    return _step(request, Action.CANCEL, now, actor_id, check_note(note))


def rate(request: MaintenanceRequest, rating: int, now: datetime, actor_id: UUID) -> Step:
    if not 1 <= rating <= 5:
        raise InvalidValue("rating", "must be from 1 to 5")
    next_state(request.state, Action.RATE)
    if request.rating is not None:
        raise AlreadyRated()
    return _step(request, Action.RATE, now, actor_id, f"rated {rating} of 5", rating=rating)


def escalate(request: MaintenanceRequest, level: int, now: datetime) -> Step | None:
    """Marks an open request overdue at `level`; None when staff were already alerted at that
    level or a higher one (so a second run changes nothing)."""
    if not request.open or level <= request.escalation_level:
        return None
    changed = replace(request, overdue=True, escalation_level=level, updated_at=now)
    entry = HistoryEntry(
        request_id=request.id,
        action="escalate",
        from_state=request.state,
        to_state=request.state,
        at=now,
        note=f"past its deadline: escalation level {level}",
    )
    return changed, entry
