"""Pure rules of the housing inventory. Each raises InvalidValue naming the API field it checks."""

import re
from collections.abc import Iterable
from datetime import date

from domain.housing.errors import HasBookings
from domain.housing.model import DIRECTORY_FIELDS, Bed, RoomType
from domain.shared.errors import InvalidValue

BEDS_BY_ROOM_TYPE: dict[RoomType, int] = {
    RoomType.SINGLE: 1,
    RoomType.DOUBLE: 2,
    RoomType.TRIPLE: 3,
    RoomType.QUAD: 4,
    RoomType.STUDIO: 1,
    RoomType.SUITE: 4,
}
MAX_BEDS_PER_ROOM = 12

_BUILDING_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")
_ROOM_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$")
# Deliberately simple: one @, no spaces, a dotted domain. Full RFC 5322 accepts addresses no
# mail server in a university directory would ever hand out.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")


def required_text(value: str, field: str, max_length: int = 200) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidValue(field, "must not be blank")
    if len(cleaned) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    return cleaned


def optional_text(value: str | None, field: str, max_length: int = 200) -> str | None:
    if value is None or not value.strip():
        return None
    return required_text(value, field, max_length)


def normalise_building_code(code: str) -> str:
    cleaned = code.strip().upper()
    if not _BUILDING_CODE.match(cleaned):
        raise InvalidValue(
            "code", "use 1 to 16 letters, digits or dashes, starting with one of the first two"
        )
    return cleaned


def normalise_room_number(number: str) -> str:
    cleaned = number.strip().upper()
    if not _ROOM_NUMBER.match(cleaned):
        raise InvalidValue("number", "use 1 to 16 letters, digits, dots or dashes")
    return cleaned


def normalise_student_id(student_id: str) -> str:
    """Student ids are text: `00123` and `123` are different students."""
    cleaned = student_id.strip()
    if not _STUDENT_ID.match(cleaned):
        raise InvalidValue("student_id", "use 1 to 32 letters, digits or dashes")
    return cleaned


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if len(cleaned) > 254 or not _EMAIL.match(cleaned):
        raise InvalidValue("email", f"{email!r} is not a valid email address")
    return cleaned


def normalise_phone(phone: str, field: str = "phone") -> str:
    """Accepts common punctuation and a 00 international prefix; stores E.164 (`+4915112345678`)."""
    compact = _PHONE_PUNCTUATION.sub("", phone.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not _E164.match(compact):
        raise InvalidValue(field, f"{phone!r} is not an international number like +15551234567")
    return compact


def normalise_tags(tags: Iterable[str], field: str) -> list[str]:
    """Lower-case, trimmed, de-duplicated, in the order given."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = " ".join(tag.split()).lower()
        if len(cleaned) > 50:
            raise InvalidValue(field, f"{tag[:20]!r}... is longer than 50 characters")
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def check_floor_count(floors: int) -> int:
    if not 1 <= floors <= 200:
        raise InvalidValue("floors", "must be between 1 and 200")
    return floors


def check_floor(floor: int, building_floors: int) -> int:
    """Floors are numbered 1 (the entrance level) to the building's floor count."""
    if not 1 <= floor <= building_floors:
        raise InvalidValue(
            "floor", f"must be between 1 and the building's {building_floors} floors"
        )
    return floor


def check_bed_count(count: int) -> int:
    if not 0 <= count <= MAX_BEDS_PER_ROOM:
        raise InvalidValue("beds", f"must be between 0 and {MAX_BEDS_PER_ROOM}")
    return count


def check_year_of_study(year: int | None) -> int | None:
    if year is not None and not 1 <= year <= 10:
        raise InvalidValue("year_of_study", "must be between 1 and 10")
    return year


def check_date_of_birth(born: date | None, today: date) -> date | None:
    if born is None:
        return None
    if born >= today:
        raise InvalidValue("date_of_birth", "must be in the past")
    # Compared as (year, month, day) so that 29 February needs no date arithmetic.
    if (born.year, born.month, born.day) < (today.year - 120, today.month, today.day):
        raise InvalidValue("date_of_birth", "is more than 120 years ago")
    return born


def bed_label(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: spreadsheet-column labels, so any count has distinct labels."""
    if index < 0:
        raise ValueError("bed index must not be negative")
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label


def default_bed_labels(count: int) -> list[str]:
    return [bed_label(i) for i in range(count)]


def next_bed_label(existing: Iterable[str]) -> str:
    """The first label in A, B, ... that the room does not use yet."""
    taken = set(existing)
    index = 0
    while bed_label(index) in taken:
        index += 1
    return bed_label(index)


def normalise_bed_label(label: str) -> str:
    cleaned = label.strip().upper()
    if not cleaned or len(cleaned) > 8 or not (cleaned.isascii() and cleaned.isalnum()):
        raise InvalidValue("label", "use 1 to 8 letters or digits")
    return cleaned


def capacity(beds: Iterable[Bed]) -> int:
    return sum(1 for bed in beds if bed.active)


def check_deletable(record: str, active_bookings: int, bookings: int) -> None:
    """A record no booking names may go; any booking, active or finished, keeps it."""
    if active_bookings < 0 or bookings < active_bookings:
        raise ValueError("active bookings are some of the bookings")
    if bookings:
        raise HasBookings(record, active_bookings, bookings)


def check_locked_fields(names: Iterable[str]) -> list[str]:
    """Sorted and without repeats; only fields the directory sync fills may be locked."""
    chosen = sorted(set(names))
    unknown = [name for name in chosen if name not in DIRECTORY_FIELDS]
    if unknown:
        raise InvalidValue(
            "locked_fields",
            f"{unknown[0]!r} is not a directory field; choose from {', '.join(DIRECTORY_FIELDS)}",
        )
    return chosen
