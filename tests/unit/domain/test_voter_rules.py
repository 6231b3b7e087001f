"""Voter field rules: text trimmed and bounded, years 1 to 10, emails checked."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.errors import InvalidValue
from domain.voters.rules import MAX_TEXT_LENGTH, voter_email, voter_text, voter_year


@given(st.text(max_size=250))
def test_text_is_trimmed_bounded_or_refused(value: str) -> None:
    normal = " ".join(value.split())
    if len(normal) > MAX_TEXT_LENGTH:
        with pytest.raises(InvalidValue, match="department"):
            voter_text(value, "department")
        return
    assert voter_text(value, "department") == (normal or None)


@given(st.one_of(st.none(), st.integers(min_value=-5, max_value=20)))
def test_a_year_is_one_to_ten_or_none(year: int | None) -> None:
    if year is None or 1 <= year <= 10:
        assert voter_year(year) == year
    else:
        with pytest.raises(InvalidValue, match="year"):
            voter_year(year)


def test_an_email_is_lower_cased_or_refused() -> None:
    assert voter_email(" Ada@Example.EDU ") == "ada@example.edu"
    with pytest.raises(InvalidValue, match="email"):
        voter_email("ada")
