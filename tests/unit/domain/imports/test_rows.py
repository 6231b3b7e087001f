"""Row parsing: ids stay text, numbers from spreadsheets, years, flags, dates, every problem."""

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.housing.model import Gender
from domain.imports.cells import Cell, clean_text
from domain.imports.headers import ImportKind, map_headers
from domain.imports.rows import (
    ParsedRow,
    ResidentRow,
    VoterRow,
    is_blank_row,
    parse_resident_row,
    parse_voter_row,
    split_full_name,
)

VOTER_HEADERS = ["Student ID", "First Name", "Last Name", "Email", "Dept", "Year", "Eligible"]
VOTERS = map_headers(ImportKind.VOTERS, VOTER_HEADERS)
RESIDENT_HEADERS = [
    "Student ID",
    "Full Name",
    "Email",
    "Phone",
    "Sex",
    "DOB",
    "Level",
    "Accessible Room",
]
RESIDENTS = map_headers(ImportKind.RESIDENTS, RESIDENT_HEADERS)
TODAY = date(2025, 1, 15)

digits = st.text(alphabet="0123456789", min_size=1, max_size=12)


def voter(*cells: Cell, line: int = 2, default_eligible: bool = True) -> ParsedRow[VoterRow]:
    return parse_voter_row(list(cells), VOTERS, line, default_eligible)


def valid_voter(*cells: Cell) -> VoterRow:
    parsed = voter(*cells)
    assert parsed.problems == (), parsed.problems
    assert parsed.row is not None
    return parsed.row


@given(st.text(alphabet="0", min_size=1, max_size=5), digits)
def test_leading_zeros_of_a_text_id_survive(zeros: str, rest: str) -> None:
    student_id = zeros + rest
    assert valid_voter(student_id, "", "", "a@uni.edu").student_id == student_id


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_an_integral_spreadsheet_number_becomes_its_digits(number: int) -> None:
    assert valid_voter(float(number), None, None, "a@uni.edu").student_id == str(number)


@pytest.mark.parametrize("number", [1.2345678901234567e19, 123.5, 1e15, -0.5])
def test_a_number_that_is_no_exact_id_is_refused(number: float) -> None:
    parsed = voter(number, "", "", "a@uni.edu", line=7)
    assert parsed.row is None
    (problem,) = parsed.problems
    assert (problem.line, problem.column, problem.value) == (7, "Student ID", repr(number))


@pytest.mark.parametrize("text", ["1.23457E+19", "12345.0"])
def test_id_text_that_shows_a_rounded_number_is_refused(text: str) -> None:
    (problem,) = voter(text, "", "", "a@uni.edu").problems
    assert problem.column == "Student ID"
    assert problem.value == text


@given(st.integers(min_value=1, max_value=10), st.sampled_from([str, float, int, " {} ".format]))
def test_a_year_from_1_to_10_is_read_from_text_or_numbers(year: int, form: object) -> None:
    cell = form(year)  # type: ignore[operator]
    assert valid_voter("1", "", "", "a@uni.edu", "", cell).year == year


@given(st.one_of(st.integers(max_value=0), st.integers(min_value=11)))
def test_a_year_outside_1_to_10_is_refused(year: int) -> None:
    (problem,) = voter("1", "", "", "a@uni.edu", "", year).problems
    assert (problem.column, problem.message) == ("Year", "must be between 1 and 10")


@pytest.mark.parametrize("cell", [3.5, "three", "3.5", True])
def test_a_year_that_is_no_whole_number_is_refused(cell: Cell) -> None:
    (problem,) = voter("1", "", "", "a@uni.edu", "", cell).problems
    assert problem.message == "must be a whole number"


TRUE_WORDS = ["true", "yes", "y", "1", "eligible"]
FALSE_WORDS = ["false", "no", "n", "0", "ineligible"]


@st.composite
def any_case(draw: st.DrawFn, words: list[str]) -> str:
    word = draw(st.sampled_from(words))
    return "".join(c.upper() if draw(st.booleans()) else c for c in word)


@given(any_case(TRUE_WORDS), any_case(FALSE_WORDS))
def test_eligibility_words_in_any_case(yes: str, no: str) -> None:
    assert valid_voter("1", "", "", "a@uni.edu", "", "", yes).is_eligible is True
    assert valid_voter("1", "", "", "a@uni.edu", "", "", no).is_eligible is False


@pytest.mark.parametrize(("cell", "expected"), [(True, True), (0.0, False), (1, True)])
def test_spreadsheet_booleans_and_numbers_are_eligibility(cell: Cell, expected: bool) -> None:
    assert valid_voter("1", "", "", "a@uni.edu", "", "", cell).is_eligible is expected


@given(st.booleans())
def test_blank_eligibility_takes_the_upload_default(default: bool) -> None:
    parsed = voter("1", "", "", "a@uni.edu", "", "  ", default_eligible=default)
    assert parsed.row is not None
    assert parsed.row.is_eligible is default


@given(st.text())
def test_whitespace_normalisation_is_idempotent_and_trims(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once
    assert once == once.strip()
    assert "  " not in once


def test_text_is_trimmed_and_email_lower_cased() -> None:
    row = valid_voter(" 007 ", "  Ada\u00a0 ", "King\tLovelace", " ADA@Uni.EDU ", "Maths\n")
    assert (row.student_id, row.first_name, row.last_name) == ("007", "Ada", "King Lovelace")
    assert (row.email, row.department, row.year, row.is_eligible) == (
        "ada@uni.edu",
        "Maths",
        None,
        True,
    )


def test_every_problem_of_a_row_is_reported_with_line_and_column() -> None:
    parsed = voter("", "Ada", "", "not-an-email", "", "11", "maybe", line=42)
    assert parsed.row is None
    assert [(p.line, p.column) for p in parsed.problems] == [
        (42, "Student ID"),
        (42, "Email"),
        (42, "Year"),
        (42, "Eligible"),
    ]
    assert parsed.missing_fields == ("student_id",)


def test_blank_required_fields_are_listed_as_missing() -> None:
    parsed = voter(None, "Ada", "", "")
    assert parsed.missing_fields == ("student_id", "email")
    assert [p.message for p in parsed.problems] == ["student_id is required", "email is required"]


def test_a_short_row_reads_absent_cells_as_blank() -> None:
    assert valid_voter("1", "Ada", "Lovelace", "a@uni.edu").department is None


def test_blank_rows_are_recognised() -> None:
    assert is_blank_row(["", None, "  "])
    assert not is_blank_row(["", 0.0])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ada King Lovelace", ("Ada King", "Lovelace")),
        ("Lovelace, Ada", ("Ada", "Lovelace")),
        ("Ada", ("Ada", None)),
        ("", (None, None)),
    ],
)
def test_full_names_split_into_first_and_last(text: str, expected: tuple[str, str]) -> None:
    assert split_full_name(text) == expected


def resident(*cells: Cell) -> ParsedRow[ResidentRow]:
    return parse_resident_row(list(cells), RESIDENTS, 3, TODAY)


def test_a_resident_row_reads_dates_phones_and_the_split_name() -> None:
    parsed = resident(
        "00042",
        "Grace Hopper",
        "G@Uni.edu",
        "+49 151 1234 5678",
        "F",
        datetime(2003, 12, 9),
        2.0,
        "yes",
    )
    assert parsed.row == ResidentRow(
        student_id="00042",
        first_name="Grace",
        last_name="Hopper",
        email="g@uni.edu",
        phone="+4915112345678",
        gender=Gender.FEMALE,
        date_of_birth=date(2003, 12, 9),
        department=None,
        year_of_study=2,
        needs_accessible_room=True,
    )


@pytest.mark.parametrize("cell", ["2003-12-09", date(2003, 12, 9), "2003-12-09 00:00:00"])
def test_a_date_of_birth_is_read_from_iso_text_and_date_cells(cell: Cell) -> None:
    parsed = resident("1", "Grace Hopper", "g@uni.edu", "", "", cell)
    assert parsed.row is not None
    assert parsed.row.date_of_birth == date(2003, 12, 9)


@pytest.mark.parametrize("cell", ["09/12/2003", 37964.0, "2030-01-01"])
def test_a_date_of_birth_that_is_no_past_date_is_refused(cell: Cell) -> None:
    (problem,) = resident("1", "Grace Hopper", "g@uni.edu", "", "", cell).problems
    assert problem.column == "DOB"


def test_a_resident_with_one_name_misses_the_last_name() -> None:
    parsed = resident("1", "Grace", "g@uni.edu", "", "robot")
    assert parsed.missing_fields == ("last_name",)
    assert [(p.column, p.message) for p in parsed.problems] == [
        ("Full Name", "last_name is required"),
        ("Sex", "use female, male, non_binary or undisclosed"),
    ]


def test_a_parser_refuses_the_other_kinds_mapping() -> None:
    with pytest.raises(ValueError, match="voters"):
        parse_voter_row(["1"], RESIDENTS, 2)
