"""The maintenance report's figures."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance.model import Category, Priority, RequestState
from domain.maintenance.reports import (
    RequestFacts,
    median_hours_to_resolve,
    monthly_costs,
    open_counts,
    overdue_count,
)

T0 = datetime(2026, 9, 1, tzinfo=UTC)
NORTH, SOUTH = UUID(int=1), UUID(int=2)


def a_fact(
    state: RequestState = RequestState.SUBMITTED,
    hours: int | None = None,
    building: UUID = NORTH,
    submitted: datetime = T0,
    estimated: int | None = 1000,
    actual: int | None = None,
    overdue: bool = False,
    priority: Priority = Priority.ROUTINE,
) -> RequestFacts:
    return RequestFacts(
        building_id=building,
        category=Category.PLUMBING,
        priority=priority,
        state=state,
        overdue=overdue,
        submitted_at=submitted,
        resolved_at=None if hours is None else submitted + timedelta(hours=hours),
        estimated_cents=estimated,
        actual_cents=actual,
        currency="EUR",
    )


def test_open_and_overdue_counts_leave_finished_work_out() -> None:
    facts = [
        a_fact(priority=Priority.HIGH, overdue=True),
        a_fact(RequestState.IN_PROGRESS),
        a_fact(RequestState.CLOSED, hours=5, overdue=True),
    ]

    by_priority, by_category = open_counts(facts)

    assert dict(by_priority) == {Priority.HIGH: 1, Priority.ROUTINE: 1}
    assert dict(by_category) == {Category.PLUMBING: 2}
    assert overdue_count(facts) == 1


def test_the_median_time_to_resolve() -> None:
    facts = [a_fact(RequestState.RESOLVED, hours=h) for h in (1, 2, 10)] + [a_fact()]

    assert median_hours_to_resolve(facts) == Decimal("2.00")
    assert median_hours_to_resolve([a_fact()]) is None


def test_costs_per_building_and_month_of_submission() -> None:
    october = T0 + timedelta(days=31)
    facts = [
        a_fact(RequestState.CLOSED, hours=2, actual=1500),
        a_fact(RequestState.RESOLVED, hours=2, actual=800, estimated=900),
        a_fact(building=SOUTH),
        a_fact(submitted=october),
        a_fact(RequestState.CANCELLED),
    ]

    rows = [
        (r.building_id, r.month, r.estimated_cents, r.actual_cents, r.requests)
        for r in monthly_costs(facts)
    ]

    assert rows == [
        (NORTH, "2026-09", 1900, 2300, 2),
        (NORTH, "2026-10", 1000, 0, 1),
        (SOUTH, "2026-09", 1000, 0, 1),
    ]


@given(
    st.lists(st.tuples(st.integers(0, 1), st.integers(0, 90), st.integers(0, 10_000)), max_size=30)
)
def test_monthly_costs_add_up_to_the_whole(rows: list[tuple[int, int, int]]) -> None:
    facts = [
        a_fact(building=UUID(int=b + 1), submitted=T0 + timedelta(days=d), estimated=c)
        for b, d, c in rows
    ]

    costs = monthly_costs(facts)

    assert sum(c.estimated_cents for c in costs) == sum(c for _, _, c in rows)
    assert sum(c.requests for c in costs) == len(rows)
