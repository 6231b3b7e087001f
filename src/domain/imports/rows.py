"""One data row of an import turned into a VoterRow or ResidentRow, or into every problem it has.

A row is checked field by field and all problems are collected, so one pass over the file
tells the uploader everything to fix. Problems name the line and the column as the file
spells it.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from domain.housing.model import Gender
from domain.housing.rules import (
    check_date_of_birth,
    normalise_email,
    normalise_phone,
    normalise_student_id,
)
from domain.imports.cells import (
    Cell,
    calendar_date,
    clean_text,
    flag,
    id_text,
    is_blank,
    shown_value,
    year_number,
)
from domain.imports.headers import REQUIRED_FIELDS, HeaderMapping, ImportKind
from domain.shared.errors import InvalidValue

MAX_TEXT_LENGTH = 200
# Residents' names and department are shorter, as when they register one by one.
MAX_RESIDENT_TEXT_LENGTH = 100


@dataclass(frozen=True, slots=True)
class RowProblem:
    line: int
    column: str
    value: str
    message: str


@dataclass(frozen=True, slots=True)
class VoterRow:
    student_id: str
    email: str
    first_name: str | None
    last_name: str | None
    department: str | None
    year: int | None
    is_eligible: bool


@dataclass(frozen=True, slots=True)
class ResidentRow:
    student_id: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    gender: Gender
    date_of_birth: date | None
    department: str | None
    year_of_study: int | None
    needs_accessible_room: bool


# What a residents import may set on a stored resident besides its key, the student id.
RESIDENT_FIELDS = tuple(name for name in ResidentRow.__slots__ if name != "student_id")

RowT = TypeVar("RowT", VoterRow, ResidentRow)


@dataclass(frozen=True, slots=True)
class ParsedRow(Generic[RowT]):
    """`row` is set exactly when `problems` is empty. `missing_fields` lists the required
    fields left blank (also reported as problems), for the report's per-column counts."""

    line: int
    row: RowT | None
    problems: tuple[RowProblem, ...]
    missing_fields: tuple[str, ...]


def is_blank_row(cells: Sequence[Cell]) -> bool:
    """Spreadsheets often end with formatted but empty rows; they are skipped, not invalid."""
    return all(is_blank(cell) for cell in cells)


def split_full_name(text: str) -> tuple[str | None, str | None]:
    """`Ada King Lovelace` -> (`Ada King`, `Lovelace`); `Lovelace, Ada` -> (`Ada`, `Lovelace`);
    a single word is a first name only."""
    if "," in text:
        last, _, first = text.partition(",")
        return (clean_text(first) or None, clean_text(last) or None)
    words = text.split()
    if not words:
        return (None, None)
    if len(words) == 1:
        return (words[0], None)
    return (" ".join(words[:-1]), words[-1])


def _text(value: Cell, field: str, max_length: int = MAX_TEXT_LENGTH) -> str:
    text = clean_text(value)
    if len(text) > max_length:
        raise InvalidValue(field, f"must be at most {max_length} characters")
    return text


def _resident_text(value: Cell, field: str) -> str:
    return _text(value, field, MAX_RESIDENT_TEXT_LENGTH)


def _student_id(value: Cell, field: str) -> str:
    return normalise_student_id(id_text(value, field))


def _email(value: Cell, field: str) -> str:
    return normalise_email(clean_text(value))


def _phone(value: Cell, field: str) -> str:
    return normalise_phone(id_text(value, field), field)


_GENDER_WORDS = {
    **{gender.value: gender for gender in Gender},
    "f": Gender.FEMALE,
    "m": Gender.MALE,
    "nonbinary": Gender.NON_BINARY,
    "x": Gender.NON_BINARY,
    "": Gender.UNDISCLOSED,
}


def _gender(value: Cell, field: str) -> Gender:
    word = clean_text(value).casefold().replace(" ", "_").replace("-", "_")
    gender = _GENDER_WORDS.get(word)
    if gender is None:
        raise InvalidValue(field, "use female, male, non_binary or undisclosed")
    return gender


FieldRule = Callable[[Cell, str], object]

_VOTER_RULES: dict[str, FieldRule] = {
    "student_id": _student_id,
    "email": _email,
    "first_name": _text,
    "last_name": _text,
    "department": _text,
    "year": year_number,
    "is_eligible": flag,
}

_RESIDENT_RULES: dict[str, FieldRule] = {
    "student_id": _student_id,
    "email": _email,
    "first_name": _resident_text,
    "last_name": _resident_text,
    "phone": _phone,
    "gender": _gender,
    "date_of_birth": calendar_date,
    "department": _resident_text,
    "year_of_study": year_number,
    "needs_accessible_room": flag,
}


def _field_values(cells: Sequence[Cell], mapping: HeaderMapping) -> dict[str, Cell]:
    width = len(cells)
    values = {
        field: cells[index] if index < width else None
        for field, index in mapping.field_columns.items()
    }
    index = mapping.full_name_column
    if index is not None:
        full_name = clean_text(cells[index]) if index < width else ""
        values["first_name"], values["last_name"] = split_full_name(full_name)
    return values


def _apply_rules(
    cells: Sequence[Cell],
    mapping: HeaderMapping,
    line: int,
    rules: dict[str, FieldRule],
    blank_values: dict[str, object],
) -> tuple[dict[str, object], list[RowProblem], list[str]]:
    """Every rule runs, so one row reports all of its problems at once."""
    values = _field_values(cells, mapping)
    required = REQUIRED_FIELDS[mapping.kind]
    parsed: dict[str, object] = {}
    problems: list[RowProblem] = []
    missing: list[str] = []
    for field, rule in rules.items():
        raw = values.get(field)
        if is_blank(raw):
            if field in required:
                missing.append(field)
                problems.append(
                    RowProblem(line, mapping.column_of(field), "", f"{field} is required")
                )
            parsed[field] = blank_values.get(field)
            continue
        try:
            parsed[field] = rule(raw, field)
        except InvalidValue as error:
            column = mapping.column_of(field)
            problems.append(RowProblem(line, column, shown_value(raw), error.reason))
    return parsed, problems, missing


def parse_voter_row(
    cells: Sequence[Cell], mapping: HeaderMapping, line: int, default_eligible: bool = True
) -> ParsedRow[VoterRow]:
    """A blank is_eligible takes `default_eligible`, the choice made at upload."""
    if mapping.kind is not ImportKind.VOTERS:
        raise ValueError("parse_voter_row needs a voters header mapping")
    blank_values: dict[str, object] = {"is_eligible": default_eligible}
    parsed, problems, missing = _apply_rules(cells, mapping, line, _VOTER_RULES, blank_values)
    row = None if problems else VoterRow(**parsed)  # type: ignore[arg-type]
    return ParsedRow(line, row, tuple(problems), tuple(missing))


def parse_resident_row(
    cells: Sequence[Cell], mapping: HeaderMapping, line: int, today: date
) -> ParsedRow[ResidentRow]:
    """`today` bounds date_of_birth (in the past, at most 120 years ago)."""
    if mapping.kind is not ImportKind.RESIDENTS:
        raise ValueError("parse_resident_row needs a residents header mapping")
    blank_values: dict[str, object] = {
        "gender": Gender.UNDISCLOSED,
        "needs_accessible_room": False,
    }
    parsed, problems, missing = _apply_rules(cells, mapping, line, _RESIDENT_RULES, blank_values)
    born = parsed.get("date_of_birth")
    if isinstance(born, date):
        try:
            check_date_of_birth(born, today)
        except InvalidValue as error:
            column = mapping.column_of("date_of_birth")
            problems.append(RowProblem(line, column, born.isoformat(), error.reason))
    row = None if problems else ResidentRow(**parsed)  # type: ignore[arg-type]
    return ParsedRow(line, row, tuple(problems), tuple(missing))
