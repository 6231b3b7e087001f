"""When preventive work recurs: every N days, weeks or months from an anchor date, or on the
days a 5-field cron expression fires.

Occurrences are dates: a preventive work order is one day's job. The minute and hour fields of
a cron expression are checked but do not create more occurrences: an expression that fires
several times a day yields that day once.

Cron follows the classic rules: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists
`a,b`; months and weekdays also by three-letter English names; Sunday is 0 or 7. When both the
day-of-month and the day-of-week field are restricted, a day matching either one fires."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from domain.shared.errors import InvalidValue

MAX_INTERVAL = 1000
# A cron expression that fires on no day within this many days in a row never fires (the calendar
# repeats every 28 years, but every real expression fires within 8: February 29 on a weekday).
CRON_SEARCH_DAYS = 8 * 366 + 7

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Interval:
    every: int
    unit: Unit

    def __post_init__(self) -> None:
        if not 1 <= self.every <= MAX_INTERVAL:
            raise InvalidValue("recurrence.every", f"must be from 1 to {MAX_INTERVAL}")


@dataclass(frozen=True, slots=True)
class CronExpression:
    text: str
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]  # 0 is Sunday
    days_restricted: bool
    weekdays_restricted: bool

    def fires_on(self, day: date) -> bool:
        if day.month not in self.months:
            return False
        by_day = day.day in self.days
        by_weekday = (day.isoweekday() % 7) in self.weekdays
        if self.days_restricted and self.weekdays_restricted:
            return by_day or by_weekday
        return by_day and by_weekday


Recurrence = Interval | CronExpression


def _value(text: str, low: int, high: int, names: dict[str, int]) -> int:
    number = names.get(text.lower()) if names else None
    if number is None:
        if not text.isdigit():
            raise ValueError(f"{text!r} is not a number")
        number = int(text)
    if not low <= number <= high:
        raise ValueError(f"{number} is outside {low}-{high}")
    return number


def _item(item: str, low: int, high: int, names: dict[str, int]) -> set[int]:
    span, slash, step_text = item.partition("/")
    step = _value(step_text, 1, high - low + 1, {}) if slash else 1
    if span == "*":
        first, last = low, high
    elif "-" in span:
        start, _, end = span.partition("-")
        first, last = _value(start, low, high, names), _value(end, low, high, names)
        if first > last:
            raise ValueError(f"the range {span} runs backwards")
    else:
        first = _value(span, low, high, names)
        last = high if slash else first
    return set(range(first, last + 1, step))


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        values |= _item(item, low, high, names or {})
    return frozenset(values)


def parse_cron(text: str, field: str = "recurrence.cron") -> CronExpression:
    parts = text.split()
    if len(parts) != 5:
        raise InvalidValue(field, "a cron expression has 5 fields: minute hour day month weekday")
    minute, hour, day, month, weekday = parts
    try:
        weekdays = _field(weekday, 0, 7, _WEEKDAYS)
        expression = CronExpression(
            text=" ".join(parts),
            minutes=_field(minute, 0, 59),
            hours=_field(hour, 0, 23),
            days=_field(day, 1, 31),
            months=_field(month, 1, 12, _MONTHS),
            weekdays=frozenset(value % 7 for value in weekdays),
            days_restricted=not day.startswith("*"),
            weekdays_restricted=not weekday.startswith("*"),
        )
    except ValueError as error:
        raise InvalidValue(field, f"{text!r}: {error}") from None
    if not next_occurrences(expression, date(2000, 1, 1), date(2000, 1, 1), 1):
        raise InvalidValue(field, f"{text!r} fires on no day of the calendar")
    return expression


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later; the month's last day when it is shorter."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def _interval_nth(interval: Interval, anchor: date, n: int) -> date:
    if interval.unit is Unit.MONTHS:
        return add_months(anchor, n * interval.every)
    days = interval.every * (7 if interval.unit is Unit.WEEKS else 1)
    return anchor + timedelta(days=n * days)


def _first_index(interval: Interval, anchor: date, first: date) -> int:
    """An index whose occurrence is at or before `first` (or 0), to start counting from."""
    if first <= anchor:
        return 0
    if interval.unit is Unit.MONTHS:
        months = (first.year - anchor.year) * 12 + first.month - anchor.month
        return max(0, months // interval.every - 1)
    days = interval.every * (7 if interval.unit is Unit.WEEKS else 1)
    return (first - anchor).days // days


def next_occurrences(recurrence: Recurrence, anchor: date, first: date, count: int) -> list[date]:
    """The first `count` occurrences on or after `first` (and on or after `anchor`, when the
    recurrence starts)."""
    first = max(first, anchor)
    found: list[date] = []
    if isinstance(recurrence, Interval):
        index = _first_index(recurrence, anchor, first)
        while len(found) < count:
            day = _interval_nth(recurrence, anchor, index)
            if day >= first:
                found.append(day)
            index += 1
        return found
    day, days_without = first, 0
    # Stops only after a long stretch without a firing, not after a fixed span: an expression
    # that fires once a year still yields `count` occurrences.
    while len(found) < count and days_without < CRON_SEARCH_DAYS:
        if recurrence.fires_on(day):
            found.append(day)
            days_without = 0
        else:
            days_without += 1
        day += timedelta(days=1)
    return found


def occurrences_between(
    recurrence: Recurrence, anchor: date, first: date, last: date
) -> list[date]:
    """Every occurrence in `[first, last]`, both included."""
    found: list[date] = []
    day = max(first, anchor)
    while day <= last:
        batch = next_occurrences(recurrence, anchor, day, 32)
        for occurrence in batch:
            if occurrence > last:
                return found
            found.append(occurrence)
        if len(batch) < 32:
            return found
        day = batch[-1] + timedelta(days=1)
    return found
