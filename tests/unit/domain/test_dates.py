"""Half-open date ranges `[start, end)`."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue

EPOCH = date(2026, 1, 1)


@st.composite
def ranges(draw: st.DrawFn) -> DateRange:
    """Short ranges in a small window, so that overlaps and touching ends are common."""
    start = EPOCH + timedelta(days=draw(st.integers(min_value=0, max_value=30)))
    nights = draw(st.integers(min_value=1, max_value=10))
    return DateRange.of(start, start + timedelta(days=nights))


def days_of(window: DateRange) -> set[date]:
    return {window.start + timedelta(days=i) for i in range(window.nights)}


def test_accepts_an_end_after_the_start() -> None:
    window = DateRange.of(date(2026, 9, 21), date(2026, 12, 19))

    assert (window.start, window.end) == (date(2026, 9, 21), date(2026, 12, 19))


@given(start=st.dates(), back=st.integers(min_value=0, max_value=400))
def test_rejects_an_end_on_or_before_the_start(start: date, back: int) -> None:
    end = start - timedelta(days=back) if start.toordinal() > back else start

    with pytest.raises(InvalidValue) as raised:
        DateRange.of(start, end)

    assert raised.value.field == "ends_on"


def test_error_names_the_given_field() -> None:
    with pytest.raises(InvalidValue) as raised:
        DateRange.of(EPOCH, EPOCH, field="check_out")

    assert raised.value.field == "check_out"


@given(first=ranges(), second=ranges())
def test_overlaps_is_symmetric(first: DateRange, second: DateRange) -> None:
    assert first.overlaps(second) == second.overlaps(first)


@given(first=ranges(), nights=st.integers(min_value=1, max_value=10))
def test_back_to_back_ranges_never_overlap(first: DateRange, nights: int) -> None:
    following = DateRange.of(first.end, first.end + timedelta(days=nights))

    assert not first.overlaps(following)
    assert not following.overlaps(first)


@given(first=ranges(), second=ranges())
def test_ranges_overlap_exactly_when_they_share_a_day(first: DateRange, second: DateRange) -> None:
    shared_days = {day for day in days_of(first) if second.contains(day)}

    assert first.overlaps(second) == bool(shared_days)


@given(window=ranges())
def test_a_range_overlaps_itself(window: DateRange) -> None:
    assert window.overlaps(window)


@given(window=ranges())
def test_nights_counts_the_contained_days(window: DateRange) -> None:
    around = [window.start + timedelta(days=offset) for offset in range(-5, window.nights + 5)]

    assert window.nights == sum(1 for day in around if window.contains(day))
    assert window.contains(window.start)
    assert not window.contains(window.end)
