"""Money: exact, non-negative amounts with at most two decimal places, in a three-letter currency."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.errors import InvalidValue
from domain.shared.money import MAX_AMOUNT, Money

currency_codes = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3
)
valid_amounts = st.decimals(
    min_value=0,
    max_value=MAX_AMOUNT - Decimal("0.01"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


@given(amount=valid_amounts, code=currency_codes)
def test_accepts_any_non_negative_amount_with_two_places(amount: Decimal, code: str) -> None:
    money = Money.of(amount, code)

    assert money.amount == amount
    assert money.amount.as_tuple().exponent == -2
    assert money.currency == code.upper()


def test_accepts_strings_and_integers_and_upper_cases_the_currency() -> None:
    assert Money.of("42.5", " eur ") == Money(Decimal("42.50"), "EUR")
    assert Money.of(7, "usd") == Money(Decimal("7.00"), "USD")


@given(
    amount=st.decimals(max_value=Decimal("-0.01"), places=2, allow_nan=False, allow_infinity=False)
)
def test_rejects_negative_amounts(amount: Decimal) -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of(amount, "EUR")

    assert raised.value.field == "amount"


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_rejects_values_that_are_not_finite(amount: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of(amount, "EUR")

    assert raised.value.field == "amount"


def test_rejects_text_that_is_not_a_number() -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of("twelve", "EUR")

    assert raised.value.field == "amount"


@given(
    amount=st.decimals(
        min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False
    )
)
def test_rejects_a_third_decimal_place(amount: Decimal) -> None:
    if amount == amount.quantize(Decimal("0.01")):
        amount += Decimal("0.001")

    with pytest.raises(InvalidValue) as raised:
        Money.of(amount, "EUR")

    assert raised.value.field == "amount"


@given(amount=st.decimals(min_value=MAX_AMOUNT, max_value=10**20, places=2, allow_nan=False))
def test_rejects_amounts_beyond_what_the_database_column_holds(amount: Decimal) -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of(amount, "EUR")

    assert raised.value.field == "amount"


def test_rejects_an_amount_too_large_to_hold_two_decimal_places() -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of("1E+30", "EUR")

    assert raised.value.field == "amount"


@pytest.mark.parametrize("code", ["", "EU", "EURO", "E1R", "€UR", "ÄBC", "E R"])
def test_rejects_a_currency_that_is_not_three_ascii_letters(code: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        Money.of("1.00", code)

    assert raised.value.field == "currency"


def test_errors_name_the_fields_the_caller_uses() -> None:
    with pytest.raises(InvalidValue) as amount_error:
        Money.of("1.001", "EUR", field="nightly_rate.amount")
    with pytest.raises(InvalidValue) as currency_error:
        Money.of("1.00", "EURO", field="nightly_rate.amount")

    assert amount_error.value.field == "nightly_rate.amount"
    assert currency_error.value.field == "nightly_rate.currency"


@given(amount=valid_amounts, code=currency_codes)
def test_cents_round_trip(amount: Decimal, code: str) -> None:
    money = Money.of(amount, code)

    assert money.cents == amount * 100
    assert Money.from_cents(money.cents, money.currency) == money


@given(cents=st.integers(min_value=0, max_value=int(MAX_AMOUNT * 100) - 1))
def test_from_cents_keeps_every_cent(cents: int) -> None:
    money = Money.from_cents(cents, "EUR")

    assert money.cents == cents
    assert Money.of(money.amount, "EUR") == money
