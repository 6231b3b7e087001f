"""Header rows: which column feeds which field, matched the way people actually type headers.

A header matches a field when it equals one of the field's synonyms after normalisation: case,
spacing, punctuation, a byte-order mark or a non-breaking space make no difference, so
`E-mail`, ` email ` and `EMAIL` all mean `email`. Columns that match nothing are ignored, and
the mapping names them so the report shows exactly what was used.
"""

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from domain.imports.errors import DuplicateColumns, MissingColumns


class ImportKind(StrEnum):
    VOTERS = "voters"
    RESIDENTS = "residents"


# Not a stored field: a single name column that is split into first_name and last_name.
FULL_NAME = "full_name"

_NAME_SYNONYMS = {
    "first_name": ("First Name", "Given Name", "Forename", "First"),
    "last_name": ("Last Name", "Surname", "Family Name", "Last"),
    FULL_NAME: ("Name", "Full Name", "Student Name"),
}
_SHARED_SYNONYMS = {
    "student_id": (
        "Student ID",
        "Student Number",
        "Student No",
        "Matric No",
        "Matric Number",
        "ID Number",
    ),
    "email": ("Email", "E-mail", "Email Address", "E-mail Address", "Mail"),
    "department": ("Department", "Dept", "Faculty"),
    **_NAME_SYNONYMS,
}
_YEAR_SYNONYMS = ("Year", "Year of Study", "Level", "Study Year")

_SYNONYMS_BY_KIND: dict[ImportKind, dict[str, tuple[str, ...]]] = {
    ImportKind.VOTERS: {
        **_SHARED_SYNONYMS,
        "year": _YEAR_SYNONYMS,
        "is_eligible": ("Is Eligible", "Eligible", "Eligibility"),
    },
    ImportKind.RESIDENTS: {
        **_SHARED_SYNONYMS,
        "phone": ("Phone", "Phone Number", "Mobile", "Mobile Number", "Telephone", "Tel"),
        "gender": ("Gender", "Sex"),
        "date_of_birth": ("Date of Birth", "DOB", "Birth Date", "Birthdate", "Birthday"),
        "year_of_study": _YEAR_SYNONYMS,
        "needs_accessible_room": ("Needs Accessible Room", "Accessible Room", "Accessibility"),
    },
}

REQUIRED_FIELDS: dict[ImportKind, tuple[str, ...]] = {
    ImportKind.VOTERS: ("student_id", "email"),
    ImportKind.RESIDENTS: ("student_id", "first_name", "last_name", "email"),
}


def normalise_header(text: str) -> str:
    """Case-, space- and punctuation-free form of a header. NFKC folds look-alike characters
    (full-width letters, the non-breaking space); everything but letters and digits is
    dropped, which removes a stray byte-order mark too."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(character for character in folded if character.isalnum())


def _lookup_table(kind: ImportKind) -> dict[str, str]:
    table: dict[str, str] = {}
    for field, synonyms in _SYNONYMS_BY_KIND[kind].items():
        for synonym in (field, *synonyms):
            table[normalise_header(synonym)] = field
    return table


_LOOKUP = {kind: _lookup_table(kind) for kind in ImportKind}


def fields_of(kind: ImportKind) -> tuple[str, ...]:
    """The fields an import of this kind fills, in report order."""
    return tuple(field for field in _SYNONYMS_BY_KIND[kind] if field != FULL_NAME)


def synonyms_of(kind: ImportKind, field: str) -> tuple[str, ...]:
    return _SYNONYMS_BY_KIND[kind][field]


def header_text(value: object) -> str:
    """Spreadsheets hand over numbers or dates as headers; reports need them as text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_labels(headers: Sequence[object]) -> tuple[str, ...]:
    """One label per column, unique so a report can name every column: a blank header becomes
    `column 3`, and a repeated one gets its position (`Notes (column 7)`)."""
    texts = [header_text(header) for header in headers]
    labels = []
    for position, text in enumerate(texts, start=1):
        if not text:
            labels.append(f"column {position}")
        elif texts.count(text) > 1:
            labels.append(f"{text} (column {position})")
        else:
            labels.append(text)
    return tuple(labels)


@dataclass(frozen=True, slots=True)
class HeaderMapping:
    """Which column (0-based index) feeds which field. `full_name_column`, when set, is split
    into first_name and last_name; `ignored_columns` matched no field (or were superseded)."""

    kind: ImportKind
    labels: tuple[str, ...]
    field_columns: Mapping[str, int]
    full_name_column: int | None
    ignored_columns: tuple[int, ...]

    def column_of(self, field: str) -> str:
        """The label of the column a field came from, for problems that name the column."""
        if field in self.field_columns:
            return self.labels[self.field_columns[field]]
        if self.full_name_column is not None and field in ("first_name", "last_name"):
            return self.labels[self.full_name_column]
        return field

    def provided_fields(self) -> tuple[str, ...]:
        """The fields the file has a column for (a full name column gives both names), in
        report order: what an update may change; the other fields keep their stored value."""
        names = ("first_name", "last_name") if self.full_name_column is not None else ()
        given = {*self.field_columns, *names}
        return tuple(field for field in fields_of(self.kind) if field in given)

    def echo(self) -> dict[str, str]:
        """Column label -> the field it fed (or `ignored`), in column order, for the report."""
        target = {index: field for field, index in self.field_columns.items()}
        if self.full_name_column is not None:
            target[self.full_name_column] = "first_name + last_name"
        return {label: target.get(index, "ignored") for index, label in enumerate(self.labels)}


def _assign_columns(
    kind: ImportKind, labels: Sequence[str], headers: Sequence[object]
) -> dict[str, int]:
    lookup = _LOOKUP[kind]
    assigned: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = lookup.get(normalise_header(header_text(header)))
        if field is None:
            continue
        if field in assigned:
            raise DuplicateColumns(field, labels[assigned[field]], labels[index])
        assigned[field] = index
    return assigned


def map_headers(kind: ImportKind, headers: Sequence[object]) -> HeaderMapping:
    """Raises DuplicateColumns when two columns feed one field and MissingColumns when a
    required field has no column; both happen before any row is read."""
    labels = column_labels(headers)
    assigned = _assign_columns(kind, labels, headers)
    full_name_column = assigned.pop(FULL_NAME, None)
    if full_name_column is not None and ("first_name" in assigned or "last_name" in assigned):
        # Explicit first/last columns are more precise than splitting a full name.
        full_name_column = None
    names_covered = full_name_column is not None
    missing = [
        field
        for field in REQUIRED_FIELDS[kind]
        if field not in assigned and not (names_covered and field in ("first_name", "last_name"))
    ]
    if missing:
        raise MissingColumns(missing, labels)
    used = {*assigned.values(), full_name_column}
    return HeaderMapping(
        kind=kind,
        labels=labels,
        field_columns=assigned,
        full_name_column=full_name_column,
        ignored_columns=tuple(i for i in range(len(labels)) if i not in used),
    )
