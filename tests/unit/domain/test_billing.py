"""The price of a stay, what a gateway event does to a payment, and how payments add up."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from domain.bookings.billing import (
    SETTLED_STATES,
    BalanceStatus,
    Payment,
    PaymentMethod,
    PaymentState,
    balance,
    price_of_stay,
    settle,
)
from domain.bookings.model import BookingState
from domain.bookings.payments import PaymentKind
from domain.shared.dates import DateRange
from domain.shared.money import Money

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
BOOKING = uuid4()

cents = st.integers(min_value=0, max_value=10_000_000)
nights = st.integers(min_value=1, max_value=366)
kinds = st.sampled_from(PaymentKind)
payment_states = st.sampled_from(PaymentState)
booking_states = st.sampled_from([*BookingState, None])


def a_payment(
    amount_cents: int,
    state: PaymentState = PaymentState.SUCCEEDED,
    checkout: bool = False,
    minutes: int = 0,
) -> Payment:
    return Payment(
        booking_id=BOOKING,
        method=PaymentMethod.GATEWAY if checkout else PaymentMethod.CASH,
        state=state,
        amount=Money.from_cents(amount_cents, "EUR"),
        created_at=NOW + timedelta(minutes=minutes),
        checkout_id=f"cs_{uuid4().hex}" if checkout else None,
        payment_url="https://pay.example/cs" if checkout else None,
    )


@given(cents, nights, nights)
def test_a_stay_costs_its_nights_at_the_rate_and_splitting_it_changes_nothing(
    rate_cents: int, first: int, second: int
) -> None:
    rate = Money.from_cents(rate_cents, "EUR")
    start = date(2026, 9, 1)
    middle = start + timedelta(days=first)
    end = middle + timedelta(days=second)

    whole = price_of_stay(rate, DateRange(start, end))
    parts = [
        price_of_stay(rate, DateRange(start, middle)),
        price_of_stay(rate, DateRange(middle, end)),
    ]

    assert whole.cents == rate_cents * (first + second)
    assert whole.amount == sum((part.amount for part in parts), Decimal(0))
    assert whole.currency == "EUR"


def test_a_success_confirms_a_held_booking_for_the_amount_asked() -> None:
    confirmed = settle(PaymentState.PENDING, BookingState.HELD, PaymentKind.SUCCEEDED, True)
    wrong_amount = settle(PaymentState.PENDING, BookingState.HELD, PaymentKind.SUCCEEDED, False)
    too_late = settle(PaymentState.PENDING, BookingState.EXPIRED, PaymentKind.SUCCEEDED, True)
    paid_twice = settle(PaymentState.FAILED, BookingState.CONFIRMED, PaymentKind.SUCCEEDED, True)

    assert (confirmed.state, confirmed.confirms_booking) == (PaymentState.SUCCEEDED, True)
    for kept in (wrong_amount, too_late, paid_twice):
        assert (kept.state, kept.confirms_booking) == (PaymentState.REFUND_DUE, False)


@given(payment_states, booking_states, kinds, st.booleans())
def test_only_a_success_on_an_unsettled_payment_of_a_held_booking_confirms(
    payment: PaymentState, booking: BookingState | None, kind: PaymentKind, matches: bool
) -> None:
    settlement = settle(payment, booking, kind, matches)

    expected = (
        kind is PaymentKind.SUCCEEDED
        and payment not in SETTLED_STATES
        and booking is BookingState.HELD
        and matches
    )
    assert settlement.confirms_booking is expected


@given(payment_states, booking_states, kinds, st.booleans())
def test_money_taken_is_never_forgotten_nor_undone_by_a_failure(
    payment: PaymentState, booking: BookingState | None, kind: PaymentKind, matches: bool
) -> None:
    after = settle(payment, booking, kind, matches).state

    if payment in SETTLED_STATES:
        assert after in SETTLED_STATES  # only a refund moves it, and only to refunded
        assert after is payment or (kind, after) == (PaymentKind.REFUND, PaymentState.REFUNDED)
    if kind is PaymentKind.FAILED:
        assert after is (PaymentState.FAILED if payment is PaymentState.PENDING else payment)


@given(st.lists(st.sampled_from([PaymentKind.SUCCEEDED, PaymentKind.FAILED]), max_size=8))
def test_the_order_of_successes_and_failures_does_not_matter(events: list[PaymentKind]) -> None:
    """Webhooks come in any order and any number of times; for a hold that stays held until it
    is paid, the outcome depends only on whether a success came at all."""
    state, booking, confirmations = PaymentState.PENDING, BookingState.HELD, 0
    for kind in events:
        settlement = settle(state, booking, kind, amount_matches=True)
        state = settlement.state
        if settlement.confirms_booking:
            confirmations += 1
            booking = BookingState.CONFIRMED

    paid = PaymentKind.SUCCEEDED in events
    assert confirmations == (1 if paid else 0)
    if paid:
        assert state is PaymentState.SUCCEEDED
    else:
        assert state is (PaymentState.FAILED if events else PaymentState.PENDING)


def test_a_fresh_hold_owes_its_quote_and_shows_where_to_pay() -> None:
    checkout = a_payment(356_000, PaymentState.PENDING, checkout=True)

    standing = balance([checkout])

    assert standing is not None
    assert (standing.price.cents, standing.paid.cents, standing.due.cents) == (356_000, 0, 356_000)
    assert (standing.status, standing.open_checkout) == (BalanceStatus.UNPAID, checkout)
    assert balance([]) is None


@given(
    st.integers(min_value=0, max_value=1_000_000),
    st.lists(st.tuples(cents, payment_states), max_size=6),
)
def test_what_is_due_is_the_quote_less_what_succeeded(
    quote: int, others: list[tuple[int, PaymentState]]
) -> None:
    payments = [a_payment(quote, PaymentState.PENDING, checkout=True)] + [
        a_payment(amount, state, minutes=index + 1) for index, (amount, state) in enumerate(others)
    ]

    standing = balance(payments)

    assert standing is not None
    paid = sum(amount for amount, state in others if state is PaymentState.SUCCEEDED)
    refund_due = sum(amount for amount, state in others if state is PaymentState.REFUND_DUE)
    assert (standing.price.cents, standing.paid.cents) == (quote, paid)
    assert standing.due.cents == max(quote - paid, 0)
    assert standing.refund_due.cents == refund_due
    assert (standing.status is BalanceStatus.PAID) == (paid >= quote)
    assert (standing.open_checkout is None) == (paid >= quote)
