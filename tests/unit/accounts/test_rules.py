"""Pure rules of accounts: the password policy, the resident link, who may see a resident."""

from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.model import OFFICE_ROLES, Principal, Role
from domain.accounts.rules import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password,
    check_resident_link,
    common_passwords,
)
from domain.shared.errors import InvalidValue

EMAIL = "ada.okafor@example.edu"
TOO_COMMON = "is too common; choose a longer, less predictable one"
IS_THE_EMAIL = "must not be the email address"

# Words for passphrases: each has at least three distinct letters and none is a password itself.
WORDS = [
    "harbour", "violet", "kettle", "meadow", "copper", "lantern", "saddle", "orchid", "thunder",
    "pebble", "walrus", "juniper", "velvet", "canyon", "biscuit", "glacier", "marble", "falcon",
    "tundra", "quiver", "shadow", "nimbus", "paprika", "zephyr", "oyster", "gravel", "timber",
]  # fmt: skip
# The well-known passwords that are long enough to get past the length rule.
LONG_COMMON = sorted(p for p in common_passwords() if len(p) >= MIN_PASSWORD_LENGTH)


@st.composite
def any_case(draw: st.DrawFn, text: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
    return "".join(c.upper() if flip else c for c, flip in zip(text, flips, strict=True))


@st.composite
def passphrases(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=8))
    words = [draw(any_case(word)) for word in words]
    if draw(st.booleans()):
        words.append(str(draw(st.integers(min_value=0, max_value=9999))))
    return draw(st.sampled_from([" ", "-", "_", ".", ""])).join(words)


def reason(password: str, email: str = EMAIL) -> str:
    with pytest.raises(InvalidValue) as raised:
        check_password(password, email)
    assert raised.value.field == "password"
    return raised.value.reason


@given(password=passphrases())
def test_accepts_long_random_passphrases(password: str) -> None:
    assert check_password(password, EMAIL) == password


def test_accepts_the_shortest_and_the_longest_length() -> None:
    shortest = "harbourviole"
    longest = ("harbour violet kettle " * 6)[:MAX_PASSWORD_LENGTH]

    assert (len(shortest), len(longest)) == (MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH)
    assert check_password(shortest, EMAIL) == shortest
    assert check_password(longest, EMAIL) == longest


@given(password=st.text(max_size=MIN_PASSWORD_LENGTH - 1))
def test_rejects_fewer_than_12_characters(password: str) -> None:
    assert reason(password) == "must be at least 12 characters"


@given(password=st.text(min_size=MAX_PASSWORD_LENGTH + 1, max_size=4 * MAX_PASSWORD_LENGTH))
def test_rejects_more_than_128_characters(password: str) -> None:
    assert reason(password) == "must be at most 128 characters"


def test_the_list_holds_long_passwords_lower_cased() -> None:
    assert "correcthorsebatterystaple" in LONG_COMMON
    assert all(p == p.lower() for p in common_passwords())


@given(data=st.data())
def test_rejects_a_well_known_password_in_any_case(data: st.DataObject) -> None:
    password = data.draw(st.sampled_from(LONG_COMMON).flatmap(any_case))

    assert reason(password) == TOO_COMMON


@given(
    # Plus characters whose lower case is longer (İ) or shared with another character (K, Ω).
    chars=st.lists(
        st.characters() | st.sampled_from("İIiKkΩωẞß"), min_size=1, max_size=2, unique=True
    ),
    data=st.data(),
)
def test_rejects_one_or_two_distinct_characters(chars: list[str], data: st.DataObject) -> None:
    password = "".join(
        data.draw(
            st.lists(
                st.sampled_from(chars),
                min_size=max(MIN_PASSWORD_LENGTH, len(chars)),
                max_size=MAX_PASSWORD_LENGTH,
            ).filter(lambda drawn: set(drawn) == set(chars))
        )
    )

    assert reason(password) == TOO_COMMON


def test_two_letters_in_two_cases_are_still_two_characters() -> None:
    assert reason("AbabABabAbaB") == TOO_COMMON
    assert reason("İaİaİaİaİaİa") == TOO_COMMON  # "İ".lower() is two code points


@given(
    local_part=st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(".".join),
    whole_address=st.booleans(),
    data=st.data(),
)
def test_rejects_the_email_and_its_local_part_in_any_case(
    local_part: str, whole_address: bool, data: st.DataObject
) -> None:
    email = f"{local_part}@example.edu"
    password = data.draw(any_case(email if whole_address else local_part))

    assert reason(password, email) == IS_THE_EMAIL


def test_a_password_that_merely_contains_the_local_part_is_fine() -> None:
    assert check_password("ada.okafor rides at dawn", EMAIL) == "ada.okafor rides at dawn"


@given(role=st.sampled_from(Role), resident_id=st.none() | st.uuids())
def test_only_a_resident_account_is_linked_to_a_resident(
    role: Role, resident_id: UUID | None
) -> None:
    if (role is Role.RESIDENT) == (resident_id is not None):
        check_resident_link(role, resident_id)
        return
    with pytest.raises(InvalidValue) as raised:
        check_resident_link(role, resident_id)
    assert raised.value.field == "resident_id"


def test_a_resident_account_needs_a_resident() -> None:
    with pytest.raises(InvalidValue, match="required"):
        check_resident_link(Role.RESIDENT, None)


@given(own=st.uuids(), other=st.uuids(), user_id=st.uuids())
def test_office_roles_see_every_resident(own: UUID, other: UUID, user_id: UUID) -> None:
    for role in OFFICE_ROLES:
        principal = Principal(user_id=user_id, role=role)
        assert principal.is_office
        assert principal.may_see_resident(own)
        assert principal.may_see_resident(other)


@given(own=st.uuids(), other=st.uuids(), user_id=st.uuids())
def test_a_resident_sees_only_themself(own: UUID, other: UUID, user_id: UUID) -> None:
    principal = Principal(user_id=user_id, role=Role.RESIDENT, resident_id=own)

    assert not principal.is_office
    assert principal.may_see_resident(own)
    assert principal.may_see_resident(other) is (other == own)


@given(resident_id=st.uuids(), user_id=st.uuids(), linked=st.none() | st.uuids())
def test_technicians_and_unlinked_residents_see_no_resident(
    resident_id: UUID, user_id: UUID, linked: UUID | None
) -> None:
    technician = Principal(user_id=user_id, role=Role.TECHNICIAN, resident_id=linked)
    unlinked = Principal(user_id=user_id, role=Role.RESIDENT)

    assert not technician.is_office
    assert not technician.may_see_resident(resident_id)
    assert not unlinked.may_see_resident(resident_id)
