"""Recurrence of preventive work: intervals, the cron evaluator, and what a schedule makes."""

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.maintenance.model import Category
from domain.maintenance.recurrence import (
    CronExpression,
    Interval,
    Recurrence,
    Unit,
    add_months,
    next_occurrences,
    occurrences_between,
    parse_cron,
)
from domain.maintenance.schedules import MaintenanceSchedule, due_occurrences, work_order_for
from domain.shared.errors import InvalidValue

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))
intervals = st.builds(Interval, st.integers(1, 60), st.sampled_from(Unit))
CRONS = [
    "0 9 * * 1",
    "30 6 1 * *",
    "0 0 1,15 * *",
    "0 8 * * mon-fri",
    "0 0 */10 * *",
    "15 14 1 jan,jul *",
    "0 0 13 * 5",
    "0 0 29 2 *",
    "* * * * *",
    "0 12 * 3-5 sun",
]
crons = st.sampled_from(CRONS).map(parse_cron)
recurrences = st.one_of(intervals, crons)


@given(recurrences, days, days, st.integers(1, 12))
def test_occurrences_rise_strictly_from_the_first_day(
    recurrence: Recurrence, anchor: date, first: date, count: int
) -> None:
    found = next_occurrences(recurrence, anchor, first, count)

    assert len(found) == count
    assert found == sorted(set(found))
    assert found[0] >= max(anchor, first)


@given(intervals, days, days)
def test_an_interval_steps_evenly_from_its_anchor(
    interval: Interval, anchor: date, first: date
) -> None:
    found = next_occurrences(interval, anchor, first, 4)

    for index, day in enumerate(found):
        if interval.unit is Unit.MONTHS:
            months = (day.year - anchor.year) * 12 + day.month - anchor.month
            assert months % interval.every == 0
            assert day == add_months(anchor, months)
        else:
            step = interval.every * (7 if interval.unit is Unit.WEEKS else 1)
            assert (day - anchor).days % step == 0
        if index:
            assert day > found[index - 1]
    # Nothing was skipped: the one before the first found is before `first`.
    first_index = 0 if found[0] == anchor else None
    if first_index is None and interval.unit is not Unit.MONTHS:
        step = interval.every * (7 if interval.unit is Unit.WEEKS else 1)
        assert found[0] - timedelta(days=step) < max(first, anchor)


@given(crons, days)
def test_cron_occurrences_are_exactly_the_days_it_fires(cron: CronExpression, first: date) -> None:
    found = next_occurrences(cron, date(2000, 1, 1), first, 3)

    assert all(cron.fires_on(day) for day in found)
    day = first
    while day < found[-1]:
        assert cron.fires_on(day) == (day in found)
        day += timedelta(days=1)


@given(recurrences, days, st.integers(0, 120))
def test_between_agrees_with_next(recurrence: Recurrence, first: date, span: int) -> None:
    last = first + timedelta(days=span)

    between = occurrences_between(recurrence, date(2000, 1, 1), first, last)
    following = next_occurrences(recurrence, date(2000, 1, 1), first, len(between) + 1)

    assert between == following[: len(between)]
    assert following[len(between)] > last


def test_cron_fields_and_names() -> None:
    mondays = next_occurrences(parse_cron("0 9 * * MON"), date(2026, 9, 1), date(2026, 9, 1), 2)
    either = next_occurrences(parse_cron("0 0 13 * 5"), date(2026, 2, 1), date(2026, 2, 1), 3)

    assert mondays == [date(2026, 9, 7), date(2026, 9, 14)]
    # Day 13 or any Friday: both fields restricted, either matches.
    assert either == [date(2026, 2, 6), date(2026, 2, 13), date(2026, 2, 20)]
    assert parse_cron("0 0 * * 7").weekdays == frozenset({0})


@pytest.mark.parametrize(
    "text",
    [
        "0 9 * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 8",
        "5-1 * * * *",
        "*/0 * * * *",
        "a * * * *",
        "0 0 30 2 *",
        "0 0 31 4,6,9,11 *",
    ],
)
def test_bad_cron_expressions_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_cron(text)
    assert refused.value.field == "recurrence.cron"


def test_months_keep_their_day_or_take_the_last_one() -> None:
    monthly = next_occurrences(Interval(1, Unit.MONTHS), date(2026, 1, 31), date(2026, 1, 1), 4)

    assert monthly == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]


def test_intervals_are_bounded() -> None:
    with pytest.raises(InvalidValue):
        Interval(0, Unit.DAYS)


def a_schedule(**changes: object) -> MaintenanceSchedule:
    values: dict[str, object] = {
        "title": "Boiler service",
        "category": Category.HEATING,
        "building_id": UUID(int=1),
        "recurrence": Interval(1, Unit.WEEKS),
        "starts_on": date(2026, 9, 7),
        "lead_days": 3,
    }
    return MaintenanceSchedule(**(values | changes))  # type: ignore[arg-type]


def test_work_orders_are_due_lead_days_ahead_and_never_for_the_past() -> None:
    schedule = a_schedule()

    assert due_occurrences(schedule, date(2026, 9, 3)) == []
    assert due_occurrences(schedule, date(2026, 9, 4)) == [date(2026, 9, 7)]
    assert due_occurrences(schedule, date(2026, 9, 8)) == []
    assert due_occurrences(schedule, date(2026, 9, 11)) == [date(2026, 9, 14)]
    assert due_occurrences(a_schedule(paused=True), date(2026, 9, 4)) == []


def test_a_work_order_is_due_at_the_end_of_its_day() -> None:
    schedule = a_schedule()
    now = datetime(2026, 9, 4, 0, 1, tzinfo=UTC)

    order = work_order_for(schedule, date(2026, 9, 7), now)

    assert (order.schedule_id, order.occurrence_date) == (schedule.id, date(2026, 9, 7))
    assert order.due_at == datetime(2026, 9, 8, tzinfo=UTC)
    assert order.category is Category.HEATING


def test_schedules_check_their_lead_time_and_title() -> None:
    with pytest.raises(InvalidValue):
        a_schedule(lead_days=400)
    with pytest.raises(InvalidValue):
        a_schedule(title=" ")
