"""The request's state machine: legal steps, 409 for the rest, history for each."""

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance import lifecycle
from domain.maintenance.errors import AlreadyRated, IllegalTransition
from domain.maintenance.lifecycle import NEXT_STATE, Action, next_state
from domain.maintenance.model import (
    Category,
    MaintenanceRequest,
    Part,
    Priority,
    RequestState,
    Resolution,
)
from domain.shared.errors import InvalidValue
from domain.shared.money import Money

NOW = datetime(2026, 9, 1, 9, tzinfo=UTC)
ACTOR = UUID(int=7)
TECH = UUID(int=9)


def a_request(state: RequestState = RequestState.SUBMITTED) -> MaintenanceRequest:
    return MaintenanceRequest(
        building_id=UUID(int=1),
        room_id=UUID(int=2),
        category=Category.PLUMBING,
        priority=Priority.HIGH,
        description="The tap drips",
        submitted_at=NOW,
        state=state,
    )


RESOLUTION = Resolution(
    labour_hours=Decimal("1.5"),
    parts=(Part("washer", Money.of("2.50", "EUR")),),
    actual_cost=Money.of("62.50", "EUR"),
    note="new washer",
)


def test_the_happy_path_records_every_step() -> None:
    request = a_request()
    steps = []
    for step in (
        lambda r: lifecycle.assign(r, TECH, NOW, None),
        lambda r: lifecycle.start(r, NOW, TECH, None),
        lambda r: lifecycle.hold(r, NOW, TECH, "waiting for a part"),
        lambda r: lifecycle.resume(r, NOW, TECH, None),
        lambda r: lifecycle.resolve(r, RESOLUTION, NOW, TECH),
        lambda r: lifecycle.close(r, NOW, ACTOR, "thanks"),
    ):
        request, entry = step(request)
        steps.append((entry.action, entry.from_state, entry.to_state))

    assert request.state is RequestState.CLOSED
    assert (request.technician_id, request.resolution, request.closed_at) == (TECH, RESOLUTION, NOW)
    assert [s[0] for s in steps] == ["assign", "start", "hold", "resume", "resolve", "close"]
    assert all(f is not t or a == "assign" for a, f, t in steps)


@given(st.sampled_from(RequestState), st.sampled_from(Action))
def test_a_step_leads_where_the_table_says_or_is_refused(
    state: RequestState, action: Action
) -> None:
    if (state, action) in NEXT_STATE:
        assert next_state(state, action) is NEXT_STATE[(state, action)]
        return
    with pytest.raises(IllegalTransition) as refused:
        next_state(state, action)
    assert refused.value.field == "state"


@pytest.mark.parametrize("final", [RequestState.CLOSED, RequestState.CANCELLED])
def test_finished_requests_go_nowhere(final: RequestState) -> None:
    assert not [
        action
        for (state, action), target in NEXT_STATE.items()
        if state is final and target is not final
    ]


def test_hold_needs_a_reason() -> None:
    with pytest.raises(InvalidValue) as refused:
        lifecycle.hold(a_request(RequestState.IN_PROGRESS), NOW, TECH, "  ")
    assert refused.value.field == "note"


def test_residents_cancel_only_before_work_starts() -> None:
    cancelled, _ = lifecycle.cancel(a_request(RequestState.ASSIGNED), NOW, ACTOR, False, None)

    assert cancelled.state is RequestState.CANCELLED
    with pytest.raises(IllegalTransition):
        lifecycle.cancel(a_request(RequestState.IN_PROGRESS), NOW, ACTOR, False, None)
    office, _ = lifecycle.cancel(a_request(RequestState.ON_HOLD), NOW, ACTOR, True, "dup")
    assert office.state is RequestState.CANCELLED


def test_resolving_checks_hours_and_currencies() -> None:
    working = a_request(RequestState.IN_PROGRESS)
    with pytest.raises(InvalidValue):
        lifecycle.resolve(working, Resolution(Decimal(-1), (), Money.of(0, "EUR")), NOW, TECH)
    mixed = Resolution(Decimal(1), (Part("x", Money.of(1, "USD")),), Money.of(5, "EUR"))
    with pytest.raises(InvalidValue):
        lifecycle.resolve(working, mixed, NOW, TECH)


def test_rating_is_once_from_one_to_five_on_finished_work() -> None:
    resolved = a_request(RequestState.RESOLVED)
    rated, entry = lifecycle.rate(resolved, 4, NOW, ACTOR)

    assert (rated.rating, rated.state, entry.note) == (4, RequestState.RESOLVED, "rated 4 of 5")
    with pytest.raises(AlreadyRated):
        lifecycle.rate(rated, 5, NOW, ACTOR)
    with pytest.raises(InvalidValue):
        lifecycle.rate(resolved, 6, NOW, ACTOR)
    with pytest.raises(IllegalTransition):
        lifecycle.rate(a_request(RequestState.IN_PROGRESS), 3, NOW, ACTOR)


@given(st.sampled_from(RequestState), st.integers(0, 3), st.integers(0, 3))
def test_escalation_happens_once_per_level_and_only_while_open(
    state: RequestState, stored: int, level: int
) -> None:
    request = replace(a_request(state), escalation_level=stored, overdue=stored > 0)

    step = lifecycle.escalate(request, level, NOW)

    if not request.open or level <= request.escalation_level:
        assert step is None
        return
    assert step is not None
    escalated, entry = step
    assert (escalated.overdue, escalated.escalation_level, escalated.state) == (True, level, state)
    assert lifecycle.escalate(escalated, level, NOW) is None
    assert entry.from_state is entry.to_state is state
