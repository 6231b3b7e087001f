"""Single cell values as readers hand them over, turned into the types rows need.

Readers give text from CSV and typed values from spreadsheets (floats for every number, dates
for date cells). Each rule here accepts both and raises InvalidValue naming the field.
"""

import re
from datetime import date, datetime, time, timedelta

from domain.shared.errors import InvalidValue

# datetime is a subclass of date; time and timedelta come from time-only and duration cells.
Cell = str | int | float | bool | date | datetime | time | timedelta | None

# Spreadsheets store numbers as doubles with 15 significant digits: from 10**15 on, the digits
# shown may no longer be the digits typed.
_LARGEST_EXACT_NUMBER = 10**15
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_WHOLE_WITH_DECIMALS = re.compile(r"^\d+\.0+$")
_WHOLE_NUMBER_TEXT = re.compile(r"^-?\d{1,9}(\.0+)?$")
_SHOWN_VALUE_CHARS = 100
# A spreadsheet cell holds at most this many characters; a rejected row keeps no more.
MAX_CELL_CHARS = 32_767

_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "eligible", "t"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "ineligible", "not eligible", "f"})


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: Cell) -> str:
    """Trimmed, with every run of whitespace (tabs, newlines, non-breaking spaces) as one
    space; numbers without a spurious `.0`; dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(value.split())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def shown_value(value: Cell) -> str:
    """The value as a problem report shows it: strings as typed, shortened when huge."""
    text = value if isinstance(value, str) else ("" if value is None else repr_cell(value))
    if len(text) > _SHOWN_VALUE_CHARS:
        return text[:_SHOWN_VALUE_CHARS] + "..."
    return text


def original_text(value: Cell) -> str:
    """The cell as text to write back into a file: strings exactly as typed (up to a
    spreadsheet cell's limit), numbers and dates the way clean_text shows them."""
    text = value if isinstance(value, str) else clean_text(value)
    return text[:MAX_CELL_CHARS]


def repr_cell(value: Cell) -> str:
    if isinstance(value, float):
        # repr shows every digit a double holds, so a rounded id is visible as such.
        return repr(value)
    return clean_text(value)


def _number_as_id(value: float, field: str) -> str:
    if not value.is_integer():
        raise InvalidValue(field, "is a number with a fractional part, not an id")
    if abs(value) >= _LARGEST_EXACT_NUMBER:
        raise InvalidValue(
            field,
            "is a number too long for a spreadsheet to keep exactly (digits may be lost); "
            "format the column as text and export again",
        )
    return str(int(value))


def id_text(value: Cell, field: str) -> str:
    """Ids are text. A spreadsheet number 12345.0 means the id `12345`; leading zeros typed as
    text survive untouched; a number that lost precision is refused, never guessed."""
    if isinstance(value, bool | date | time | timedelta):
        raise InvalidValue(field, "is not an id")
    if isinstance(value, float):
        return _number_as_id(value, field)
    text = clean_text(value)
    if _SCIENTIFIC.match(text):
        raise InvalidValue(
            field,
            "is in scientific notation, so the spreadsheet rounded it; "
            "format the column as text and export again",
        )
    if _WHOLE_WITH_DECIMALS.match(text):
        raise InvalidValue(field, "looks like a number with decimals, not an id")
    return text


def whole_number(value: Cell, field: str) -> int:
    """3, 3.0 and "3" are the number 3; 3.5, "three" and booleans are refused."""
    if isinstance(value, bool):
        raise InvalidValue(field, "must be a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            raise InvalidValue(field, "must be a whole number")
        return int(value)
    if isinstance(value, str) and _WHOLE_NUMBER_TEXT.match(value.strip()):
        return int(value.strip().split(".")[0])
    raise InvalidValue(field, "must be a whole number")


def year_number(value: Cell, field: str) -> int:
    year = whole_number(value, field)
    if not 1 <= year <= 10:
        raise InvalidValue(field, "must be between 1 and 10")
    return year


def flag(value: Cell, field: str) -> bool:
    """true/false, yes/no, y/n, 1/0, eligible/ineligible in any case; spreadsheet booleans and
    the numbers 1 and 0 too."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return value == 1
    word = clean_text(value).casefold()
    if word in _TRUE_WORDS:
        return True
    if word in _FALSE_WORDS:
        return False
    raise InvalidValue(field, "use true/false, yes/no, y/n, 1/0 or eligible/ineligible")


def calendar_date(value: Cell, field: str) -> date:
    """A date cell, or text in ISO form (2004-03-01). Day/month orders are not guessed:
    03/04/2004 is a different day in different countries."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text[:10]) if _is_iso_date(text) else date.fromisoformat(text)
        except ValueError:
            pass
    raise InvalidValue(field, "must be a date, like 2004-03-01")


def _is_iso_date(text: str) -> bool:
    """`2004-03-01`, optionally followed by a midnight time as some exports write it."""
    return len(text) > 10 and text[10] in "T " and text[11:].strip("0:. Z") == ""
