"""Pure rules of the housing inventory."""

import string
from datetime import date, timedelta
from uuid import uuid4

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from domain.housing.errors import HasBookings
from domain.housing.model import Bed, RoomType
from domain.housing.rules import (
    BEDS_BY_ROOM_TYPE,
    MAX_BEDS_PER_ROOM,
    bed_label,
    capacity,
    check_bed_count,
    check_date_of_birth,
    check_deletable,
    check_floor,
    check_floor_count,
    check_year_of_study,
    default_bed_labels,
    next_bed_label,
    normalise_bed_label,
    normalise_building_code,
    normalise_email,
    normalise_phone,
    normalise_room_number,
    normalise_student_id,
    normalise_tags,
    optional_text,
    required_text,
)
from domain.shared.errors import InvalidValue

indices = st.integers(min_value=0, max_value=20_000)


def attempt(rule: object, *args: object) -> object:
    """The rule's result, or the InvalidValue it raised."""
    try:
        return rule(*args)  # type: ignore[operator]
    except InvalidValue as error:
        return error


def field_of_error(rule: object, *args: object) -> str:
    with pytest.raises(InvalidValue) as raised:
        rule(*args)  # type: ignore[operator]
    return raised.value.field


# Bed labels


def test_bed_labels_run_a_to_z_then_aa() -> None:
    assert default_bed_labels(26) == list(string.ascii_uppercase)
    assert [bed_label(i) for i in (26, 27, 51, 52, 701, 702)] == [
        "AA",
        "AB",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_bed_label_rejects_a_negative_index() -> None:
    with pytest.raises(ValueError, match="negative"):
        bed_label(-1)


@given(first=indices, second=indices)
def test_bed_label_is_injective(first: int, second: int) -> None:
    assume(first != second)

    assert bed_label(first) != bed_label(second)


@given(index=indices)
def test_bed_label_is_upper_case_letters(index: int) -> None:
    label = bed_label(index)

    assert label.isalpha()
    assert label.isascii()
    assert label.isupper()


@given(count=st.integers(min_value=0, max_value=200))
def test_default_bed_labels_are_count_distinct_labels(count: int) -> None:
    labels = default_bed_labels(count)

    assert len(labels) == count
    assert len(set(labels)) == count


@given(
    taken=st.sets(st.integers(min_value=0, max_value=40), max_size=30),
    strangers=st.sets(st.text(alphabet="0123456789-", min_size=1, max_size=3), max_size=3),
)
def test_next_bed_label_is_the_first_free_one(taken: set[int], strangers: set[str]) -> None:
    existing = {bed_label(i) for i in taken} | strangers

    label = next_bed_label(existing)

    first_free = min(i for i in range(len(taken) + 1) if i not in taken)
    assert label not in existing
    assert label == bed_label(first_free)


def test_next_bed_label_fills_a_gap() -> None:
    assert next_bed_label([]) == "A"
    assert next_bed_label(["A", "C"]) == "B"
    assert next_bed_label(["A", "B", "C"]) == "D"


@pytest.mark.parametrize(("given_label", "expected"), [("a", "A"), (" c2 ", "C2"), ("w", "W")])
def test_normalise_bed_label_upper_cases(given_label: str, expected: str) -> None:
    assert normalise_bed_label(given_label) == expected


@pytest.mark.parametrize("label", ["", "  ", "A B", "A-1", "ABCDEFGHI"])
def test_normalise_bed_label_rejects_bad_labels(label: str) -> None:
    assert field_of_error(normalise_bed_label, label) == "label"


def test_capacity_counts_active_beds_only() -> None:
    room_id = uuid4()
    beds = [
        Bed(room_id=room_id, label="A"),
        Bed(room_id=room_id, label="B", active=False),
        Bed(room_id=room_id, label="C"),
    ]

    assert capacity(beds) == 2
    assert capacity([]) == 0


# Room types and counts


def test_every_room_type_has_a_bed_count_within_the_limit() -> None:
    assert set(BEDS_BY_ROOM_TYPE) == set(RoomType)
    assert all(1 <= beds <= MAX_BEDS_PER_ROOM for beds in BEDS_BY_ROOM_TYPE.values())
    assert BEDS_BY_ROOM_TYPE[RoomType.DOUBLE] == 2
    assert BEDS_BY_ROOM_TYPE[RoomType.SUITE] == 4


@given(count=st.integers(min_value=-5, max_value=20))
def test_check_bed_count_accepts_zero_to_the_maximum(count: int) -> None:
    if 0 <= count <= MAX_BEDS_PER_ROOM:
        assert check_bed_count(count) == count
    else:
        assert field_of_error(check_bed_count, count) == "beds"


# Email


emails = st.builds(
    lambda local, labels, top: f"{local}@{'.'.join(labels)}.{top}",
    st.from_regex(r"[A-Za-z0-9._%+-]{1,20}", fullmatch=True),
    st.lists(st.from_regex(r"[A-Za-z0-9-]{1,10}", fullmatch=True), min_size=1, max_size=3),
    st.from_regex(r"[A-Za-z]{2,6}", fullmatch=True),
)


@given(email=emails, padding=st.sampled_from(["", " ", "\t", "  \n"]))
def test_normalise_email_trims_and_lower_cases(email: str, padding: str) -> None:
    normalised = normalise_email(padding + email + padding)

    assert normalised == email.lower()


@given(text=st.one_of(emails, st.text(max_size=40)))
def test_normalise_email_is_idempotent_and_lower_case(text: str) -> None:
    normalised = attempt(normalise_email, text)
    if isinstance(normalised, InvalidValue):
        assert normalised.field == "email"
        return

    assert isinstance(normalised, str)
    assert normalise_email(normalised) == normalised
    assert normalised == normalised.lower()
    assert normalised.count("@") == 1


@pytest.mark.parametrize(
    "email",
    [
        "",
        "ada.okafor",
        "ada@example",
        "ada@.edu",
        "ada@example.",
        "@example.edu",
        "ada okafor@example.edu",
        "ada@exam ple.edu",
        "ada@@example.edu",
        "ada@one@example.edu",
    ],
)
def test_normalise_email_rejects_malformed_addresses(email: str) -> None:
    assert field_of_error(normalise_email, email) == "email"


# Phone


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A number typed the way people type it, and its E.164 form."""
    digits = draw(st.from_regex(r"[1-9][0-9]{6,14}", fullmatch=True))
    prefix = draw(st.sampled_from(["+", "00", "+ ", "00 "]))
    typed = ""
    for digit in digits:
        typed += digit + draw(st.sampled_from(["", "", " ", "-", ".", "(", ")"]))
    return prefix + typed, "+" + digits


@given(number=phone_numbers())
def test_normalise_phone_produces_e164(number: tuple[str, str]) -> None:
    typed, e164 = number

    assert normalise_phone(typed) == e164


@given(
    text=st.one_of(
        phone_numbers().map(lambda number: number[0]),
        st.text(alphabet="+0123456789 ()-.x", max_size=25),
    )
)
def test_normalise_phone_is_idempotent(text: str) -> None:
    normalised = attempt(normalise_phone, text)
    if isinstance(normalised, InvalidValue):
        assert normalised.field == "phone"
        return

    assert isinstance(normalised, str)
    assert normalise_phone(normalised) == normalised
    assert normalised.startswith("+")
    assert normalised[1:].isdigit()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("+44 7700 900456", "+447700900456"),
        ("0044 (7700) 900-456", "+447700900456"),
        ("+49 151-1234 5678", "+4915112345678"),
        ("+1 (555) 123-4567", "+15551234567"),
    ],
)
def test_normalise_phone_accepts_common_punctuation(typed: str, expected: str) -> None:
    assert normalise_phone(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "+44 7700 CALLME",
        "phone",
        "+123456",
        "+12 34",
        "07700 900456",
        "+0447700900456",
        "+1234567890123456",
        "",
    ],
)
def test_normalise_phone_rejects_letters_short_and_national_numbers(typed: str) -> None:
    assert field_of_error(normalise_phone, typed) == "phone"
    assert field_of_error(normalise_phone, typed, "emergency_contact.phone") == (
        "emergency_contact.phone"
    )


# Student id


student_ids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,31}", fullmatch=True)


def test_normalise_student_id_keeps_leading_zeros() -> None:
    assert normalise_student_id(" 00412345 ") == "00412345"
    assert normalise_student_id("00123") != normalise_student_id("123")


@given(student_id=student_ids)
def test_normalise_student_id_is_idempotent(student_id: str) -> None:
    normalised = normalise_student_id(student_id)

    assert normalised == student_id
    assert normalise_student_id(normalised) == normalised


@pytest.mark.parametrize("student_id", ["", "   ", "00 123", "#123", "-123", "x" * 33])
def test_normalise_student_id_rejects_bad_ids(student_id: str) -> None:
    assert field_of_error(normalise_student_id, student_id) == "student_id"


# Tags


def clean(tag: str) -> str:
    return " ".join(tag.split()).lower()


@given(tags=st.lists(st.text(max_size=20), max_size=12))
def test_normalise_tags_is_idempotent_unique_lower_case_and_ordered(tags: list[str]) -> None:
    normalised = normalise_tags(tags, "amenities")

    assert normalise_tags(normalised, "amenities") == normalised
    assert len(set(normalised)) == len(normalised)
    assert all(tag == tag.lower() and tag for tag in normalised)
    cleaned = [clean(tag) for tag in tags]
    assert set(normalised) == {tag for tag in cleaned if tag}
    first_seen = [cleaned.index(tag) for tag in normalised]
    assert first_seen == sorted(first_seen)


def test_normalise_tags_example() -> None:
    assert normalise_tags(["Laundry", " laundry ", "Bike  Storage", "", "gym"], "amenities") == [
        "laundry",
        "bike storage",
        "gym",
    ]


def test_normalise_tags_rejects_a_long_tag_naming_the_field() -> None:
    assert field_of_error(normalise_tags, ["x" * 51], "features") == "features"


# Building codes and room numbers


@given(code=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9-]{0,15}", fullmatch=True))
def test_normalise_building_code_upper_cases_and_is_idempotent(code: str) -> None:
    normalised = normalise_building_code(f" {code} ")

    assert normalised == code.upper()
    assert normalise_building_code(normalised) == normalised


@pytest.mark.parametrize("code", ["", "  ", "-NH", "N H", "NH_1", "NH.1", "X" * 17])
def test_normalise_building_code_rejects_bad_codes(code: str) -> None:
    assert field_of_error(normalise_building_code, code) == "code"


@given(number=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9.-]{0,15}", fullmatch=True))
def test_normalise_room_number_upper_cases_and_is_idempotent(number: str) -> None:
    normalised = normalise_room_number(f" {number} ")

    assert normalised == number.upper()
    assert normalise_room_number(normalised) == normalised


@pytest.mark.parametrize("number", ["", ".1", "-1", "2 04", "204/A", "1" * 17])
def test_normalise_room_number_rejects_bad_numbers(number: str) -> None:
    assert field_of_error(normalise_room_number, number) == "number"


# Floors


@given(
    floor=st.integers(min_value=-5, max_value=210),
    floors=st.integers(min_value=1, max_value=200),
)
def test_check_floor_accepts_exactly_one_to_floors(floor: int, floors: int) -> None:
    if 1 <= floor <= floors:
        assert check_floor(floor, floors) == floor
    else:
        assert field_of_error(check_floor, floor, floors) == "floor"


@given(floors=st.integers(min_value=-5, max_value=210))
def test_check_floor_count_accepts_one_to_two_hundred(floors: int) -> None:
    if 1 <= floors <= 200:
        assert check_floor_count(floors) == floors
    else:
        assert field_of_error(check_floor_count, floors) == "floors"


# Residents


def before_120_years(born: date, today: date) -> bool:
    """True when `born` lies before the same calendar day 120 years before `today`."""
    return (born.year, born.month, born.day) < (today.year - 120, today.month, today.day)


@given(
    today=st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)),
    # Half the draws fall in the year around the 120-year boundary, where mistakes hide.
    days_back=st.one_of(
        st.integers(min_value=-400, max_value=366 * 125),
        st.integers(min_value=365 * 120 - 30, max_value=366 * 121),
    ),
)
def test_check_date_of_birth_accepts_only_the_last_120_years(today: date, days_back: int) -> None:
    born = today - timedelta(days=days_back)

    if born < today and not before_120_years(born, today):
        assert check_date_of_birth(born, today) == born
    else:
        assert field_of_error(check_date_of_birth, born, today) == "date_of_birth"


@pytest.mark.parametrize(
    ("born", "today", "accepted"),
    [
        (date(2026, 9, 1), date(2026, 9, 1), False),
        (date(2026, 9, 2), date(2026, 9, 1), False),
        (date(2026, 8, 31), date(2026, 9, 1), True),
        (date(1906, 9, 1), date(2026, 9, 1), True),
        (date(1906, 8, 31), date(2026, 9, 1), False),
        (date(1905, 9, 2), date(2026, 9, 1), False),
        (date(1906, 1, 2), date(2026, 12, 31), False),
        (date(1904, 2, 29), date(2024, 2, 29), True),
        (date(1900, 2, 28), date(2020, 2, 29), False),
        (date(1900, 3, 1), date(2020, 2, 29), True),
    ],
)
def test_check_date_of_birth_examples(born: date, today: date, accepted: bool) -> None:
    if accepted:
        assert check_date_of_birth(born, today) == born
    else:
        assert field_of_error(check_date_of_birth, born, today) == "date_of_birth"


def test_check_date_of_birth_allows_none() -> None:
    assert check_date_of_birth(None, date(2026, 9, 1)) is None


@given(year=st.one_of(st.none(), st.integers(min_value=-3, max_value=15)))
def test_check_year_of_study_accepts_one_to_ten(year: int | None) -> None:
    if year is None or 1 <= year <= 10:
        assert check_year_of_study(year) == year
    else:
        assert field_of_error(check_year_of_study, year) == "year_of_study"


# Free text


@given(text=st.text(max_size=60))
def test_required_text_collapses_whitespace_or_rejects_blank(text: str) -> None:
    if not text.split():
        assert field_of_error(required_text, text, "name") == "name"
    else:
        cleaned = required_text(text, "name")
        assert cleaned == " ".join(text.split())
        assert required_text(cleaned, "name") == cleaned


def test_required_text_limits_length() -> None:
    assert required_text("x" * 100, "last_name", 100) == "x" * 100
    assert field_of_error(required_text, "x" * 101, "last_name", 100) == "last_name"


def test_optional_text_turns_blank_into_none() -> None:
    assert optional_text(None, "department") is None
    assert optional_text("   ", "department") is None
    assert optional_text("  Physics  ", "department") == "Physics"


@given(active=st.integers(0, 5), finished=st.integers(0, 5))
def test_a_record_is_deletable_exactly_when_no_booking_names_it(active: int, finished: int) -> None:
    if active + finished == 0:
        check_deletable("bed", active, active + finished)
        return
    with pytest.raises(HasBookings) as refusal:
        check_deletable("bed", active, active + finished)
    assert ("active bookings" in refusal.value.message) == (active > 0)
    assert (refusal.value.active, refusal.value.total) == (active, active + finished)
