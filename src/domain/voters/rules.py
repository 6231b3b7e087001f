"""Rules a voter's fields keep, whether they come from an import or from the office by hand.

The import engine checks file rows with the same limits (domain/imports/rows.py)."""

from domain.housing.rules import normalise_email, optional_text
from domain.shared.errors import InvalidValue

MAX_TEXT_LENGTH = 200
MIN_YEAR, MAX_YEAR = 1, 10


def voter_text(value: str | None, field: str) -> str | None:
    """Trimmed with whitespace runs as one space; blank means none."""
    return optional_text(value, field, MAX_TEXT_LENGTH)


def voter_email(value: str) -> str:
    return normalise_email(value)


def voter_year(year: int | None) -> int | None:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidValue("year", f"must be between {MIN_YEAR} and {MAX_YEAR}")
    return year
