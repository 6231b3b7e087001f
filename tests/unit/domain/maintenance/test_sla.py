"""SLA deadlines, business-day arithmetic and escalation levels."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance.model import Priority
from domain.maintenance.sla import (
    MAX_ESCALATION_LEVEL,
    Allowance,
    SlaPolicy,
    add_business_days,
    escalation_level,
    is_business_day,
    next_business_start,
    sla_due_at,
)

moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
business_days = st.integers(min_value=0, max_value=400)
TUESDAY_10 = datetime(2026, 9, 1, 10, tzinfo=UTC)


def weekdays_between(start: datetime, end: datetime) -> int:
    """Business days whose start lies in (start, end]: what adding days should have counted."""
    day, count = start.date() + timedelta(days=1), 0
    while day <= end.date():
        count += day.weekday() < 5
        day += timedelta(days=1)
    return count


@given(moments, business_days)
def test_the_deadline_is_a_business_day_at_or_after_the_start(start: datetime, days: int) -> None:
    due = add_business_days(start, days)

    assert is_business_day(due)
    assert due >= start
    assert due - start <= timedelta(days=days * 7 // 5 + 3)


@given(moments, business_days)
def test_exactly_n_business_days_pass(start: datetime, days: int) -> None:
    begin = next_business_start(start)

    due = add_business_days(start, days)

    assert weekdays_between(begin, due) == days
    assert due.time() == begin.time()


@given(moments, business_days, business_days)
def test_adding_in_two_steps_is_adding_the_sum(start: datetime, first: int, second: int) -> None:
    assert add_business_days(add_business_days(start, first), second) == add_business_days(
        start, first + second
    )


@given(moments, business_days)
def test_a_later_start_never_gives_an_earlier_deadline(start: datetime, days: int) -> None:
    later = start + timedelta(hours=7)

    assert add_business_days(later, days) >= add_business_days(start, days)


def test_weekend_requests_count_from_monday_midnight() -> None:
    saturday = datetime(2026, 9, 5, 15, tzinfo=UTC)

    assert add_business_days(saturday, 0) == datetime(2026, 9, 7, tzinfo=UTC)
    assert add_business_days(saturday, 3) == datetime(2026, 9, 10, tzinfo=UTC)


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_days(TUESDAY_10, -1)


@pytest.mark.parametrize(
    ("priority", "due"),
    [
        (Priority.EMERGENCY, datetime(2026, 9, 1, 14, tzinfo=UTC)),
        (Priority.HIGH, datetime(2026, 9, 2, 10, tzinfo=UTC)),
        (Priority.ROUTINE, datetime(2026, 9, 4, 10, tzinfo=UTC)),
        (Priority.LOW, datetime(2026, 9, 15, 10, tzinfo=UTC)),
    ],
)
def test_the_default_deadlines(priority: Priority, due: datetime) -> None:
    assert sla_due_at(priority, TUESDAY_10, SlaPolicy()) == due


def test_the_policy_is_configurable() -> None:
    policy = SlaPolicy(emergency=Allowance(hours=2), low=Allowance(business_days=1))

    assert sla_due_at(Priority.EMERGENCY, TUESDAY_10, policy) == TUESDAY_10 + timedelta(hours=2)
    assert sla_due_at(Priority.LOW, TUESDAY_10, policy) == TUESDAY_10 + timedelta(days=1)


@given(moments, st.integers(1, 500), st.integers(-1000, 5000), st.integers(0, 5000))
def test_escalation_rises_with_time_and_stays_within_its_levels(
    submitted: datetime, period_hours: int, hours_after_due: int, more_hours: int
) -> None:
    due = submitted + timedelta(hours=period_hours)
    now = due + timedelta(hours=hours_after_due)

    level = escalation_level(submitted, due, now)
    later = escalation_level(submitted, due, now + timedelta(hours=more_hours))

    assert 0 <= level <= later <= MAX_ESCALATION_LEVEL
    assert (level == 0) == (now < due)


def test_one_more_level_per_further_sla_period() -> None:
    due = TUESDAY_10 + timedelta(hours=4)

    levels = [escalation_level(TUESDAY_10, due, due + timedelta(hours=h)) for h in (0, 3, 4, 8, 99)]

    assert levels == [1, 1, 2, 3, 3]
