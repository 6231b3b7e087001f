"""Header matching: synonyms in any spelling, missing and doubled columns."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.imports.errors import DuplicateColumns, MissingColumns
from domain.imports.headers import (
    REQUIRED_FIELDS,
    ImportKind,
    fields_of,
    map_headers,
    normalise_header,
    synonyms_of,
)

kinds = st.sampled_from(list(ImportKind))


@st.composite
def field_and_synonym(draw: st.DrawFn, kind: ImportKind) -> tuple[str, str]:
    field = draw(st.sampled_from(fields_of(kind)))
    return field, draw(st.sampled_from((field, *synonyms_of(kind, field))))


@st.composite
def respelled(draw: st.DrawFn, text: str) -> str:
    """The same header as a person or an exporter might write it."""
    noise = st.sampled_from(["", " ", "  ", "_", "-", ".", "\u00a0", "\t", ":", "*"])
    characters = [draw(noise) + (c.upper() if draw(st.booleans()) else c.lower()) for c in text]
    return draw(st.sampled_from(["", "\ufeff"])) + "".join(characters) + draw(noise)


@given(st.data())
def test_any_spelling_of_a_synonym_maps_to_its_field(data: st.DataObject) -> None:
    kind = data.draw(kinds)
    field, synonym = data.draw(field_and_synonym(kind))
    header = data.draw(respelled(synonym))
    others = {f: f for f in REQUIRED_FIELDS[kind] if f != field}
    headers = [header, *others]
    mapping = map_headers(kind, headers)
    assert mapping.field_columns[field] == 0
    assert mapping.echo()[header.strip()] == field


@given(kinds, st.data())
def test_two_columns_for_one_field_fail_naming_both(kind: ImportKind, data: st.DataObject) -> None:
    field = data.draw(st.sampled_from(fields_of(kind)))
    spellings = (field, *synonyms_of(kind, field))
    first, second = data.draw(
        st.lists(st.sampled_from(spellings), min_size=2, max_size=2, unique=True)
    )
    headers = [*(f for f in REQUIRED_FIELDS[kind] if f != field), first, second]
    with pytest.raises(DuplicateColumns) as raised:
        map_headers(kind, headers)
    assert first in raised.value.message
    assert second in raised.value.message


@given(kinds, st.data())
def test_a_missing_required_column_fails_naming_it(kind: ImportKind, data: st.DataObject) -> None:
    absent = data.draw(st.sampled_from(REQUIRED_FIELDS[kind]))
    headers = [f for f in REQUIRED_FIELDS[kind] if f != absent] + ["Notes"]
    if absent in ("first_name", "last_name"):
        headers = [h for h in headers if h not in ("first_name", "last_name")]
    with pytest.raises(MissingColumns) as raised:
        map_headers(kind, headers)
    assert absent in raised.value.missing
    assert absent in raised.value.message


@given(st.text())
def test_normalising_a_header_is_idempotent(text: str) -> None:
    once = normalise_header(text)
    assert normalise_header(once) == once


def test_the_seed_headers_map_to_the_seed_fields() -> None:
    headers = ["Matric No", "Given Name", "Surname", "E-mail", "Faculty", "Level", "Eligible"]
    mapping = map_headers(ImportKind.VOTERS, headers)
    assert mapping.echo() == {
        "Matric No": "student_id",
        "Given Name": "first_name",
        "Surname": "last_name",
        "E-mail": "email",
        "Faculty": "department",
        "Level": "year",
        "Eligible": "is_eligible",
    }


def test_a_full_name_column_is_split_when_there_are_no_name_columns() -> None:
    mapping = map_headers(ImportKind.RESIDENTS, ["Student ID", "Full Name", "Email"])
    assert mapping.full_name_column == 1
    assert mapping.column_of("first_name") == "Full Name"
    assert mapping.echo()["Full Name"] == "first_name + last_name"


def test_explicit_name_columns_win_over_a_full_name() -> None:
    headers = ["Student ID", "Name", "First Name", "Last Name", "Email"]
    mapping = map_headers(ImportKind.RESIDENTS, headers)
    assert mapping.full_name_column is None
    assert mapping.ignored_columns == (1,)
    assert mapping.echo()["Name"] == "ignored"


def test_unknown_blank_and_repeated_headers_are_ignored_and_labelled() -> None:
    headers = ["ID Number", "Email Address", "", "Notes", "Notes", 2024.0, None]
    mapping = map_headers(ImportKind.VOTERS, headers)
    assert mapping.ignored_columns == (2, 3, 4, 5, 6)
    assert list(mapping.echo()) == [
        "ID Number",
        "Email Address",
        "column 3",
        "Notes (column 4)",
        "Notes (column 5)",
        "2024",
        "column 7",
    ]


def test_residents_need_names_voters_do_not() -> None:
    map_headers(ImportKind.VOTERS, ["student_id", "email"])
    with pytest.raises(MissingColumns) as raised:
        map_headers(ImportKind.RESIDENTS, ["student_id", "email"])
    assert raised.value.missing == ("first_name", "last_name")
