"""The stay a booking asks for: a half-open DateRange `[starts_on, ends_on)` of whole nights.

A stay is one night at least (a range with no night books nothing) and 366 nights at most (a
full academic year, leap year included; longer contracts are renewed, not booked in one go). A
new request may not start in the past: the office cannot sell nights that are already gone.
Field names are the API's: `starts_on`, `ends_on`, and `term_id` when the dates came from a term.
"""

from datetime import date

from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue

MIN_NIGHTS = 1
MAX_NIGHTS = 366


def stay_of(starts_on: date, ends_on: date) -> DateRange:
    """Explicit dates, checked for length only (a stay already on record may lie in the past)."""
    stay = DateRange.of(starts_on, ends_on, field="ends_on")  # at least one night
    if stay.nights > MAX_NIGHTS:
        raise InvalidValue("ends_on", f"a stay may last at most {MAX_NIGHTS} nights")
    return stay


def check_not_past(stay: DateRange, today: date) -> DateRange:
    """Today itself is fine: a same-day request for tonight is a normal walk-in."""
    if stay.start < today:
        raise InvalidValue("starts_on", f"must not be before today, {today.isoformat()}")
    return stay


def requested_stay(starts_on: date, ends_on: date, today: date) -> DateRange:
    """The stay of a new request with explicit dates: every rule above."""
    return check_not_past(stay_of(starts_on, ends_on), today)


def stay_for_term(term_dates: DateRange, today: date | None = None) -> DateRange:
    """The stay of a booking for a whole term.

    Given `today`, a term already under way is booked from today to its end (a late arrival books
    what is left of it, rather than being refused for a start in the past); a term that has
    ended cannot be booked. Without `today` the term's dates are taken as they are.
    """
    if not MIN_NIGHTS <= term_dates.nights <= MAX_NIGHTS:
        raise InvalidValue("term_id", f"a term stay must last {MIN_NIGHTS} to {MAX_NIGHTS} nights")
    if today is None or today <= term_dates.start:
        return term_dates
    if today >= term_dates.end:
        raise InvalidValue("term_id", f"the term ended on {term_dates.end.isoformat()}")
    return DateRange(today, term_dates.end)
