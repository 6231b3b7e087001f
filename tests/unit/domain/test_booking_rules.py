"""Pure rules of bookings: the state machine under any sequence of steps, and stay dates."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bookings import rules
from domain.bookings.errors import (
    DateOutsideStay,
    HoldNotExpired,
    IllegalTransition,
    SameBed,
    TooLateToCancel,
)
from domain.bookings.model import ACTIVE_STATES, FINAL_STATES, Booking, BookingState
from domain.bookings.rules import NEXT_STATE, TRANSITIONS, BookingAction
from domain.bookings.stays import (
    MAX_NIGHTS,
    requested_stay,
    stay_for_term,
    stay_of,
)
from domain.shared.dates import DateRange
from domain.shared.errors import DomainError, InvalidValue

T0 = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)
STAY = DateRange(date(2026, 9, 1), date(2026, 12, 20))
BEDS = [UUID(int=1), UUID(int=2), UUID(int=3)]
HOUR = timedelta(hours=1)


def a_booking(**changes: object) -> Booking:
    booking = Booking(resident_id=uuid4(), stay=STAY, requested_at=T0)
    return replace(booking, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Step:
    action: BookingAction
    minutes_later: int = 0  # the clock moves on before the step
    bed: int = 0
    hold_minutes: int = 60
    day: int = 0  # days from the start of the stay: a check-in/out date, or "today"
    by_staff: bool = False
    reason: str = "no bed fits the request"


def steps(actions: st.SearchStrategy[BookingAction]) -> st.SearchStrategy[Step]:
    return st.builds(
        Step,
        action=actions,
        minutes_later=st.integers(min_value=0, max_value=120),
        bed=st.integers(min_value=0, max_value=len(BEDS) - 1),
        hold_minutes=st.integers(min_value=1, max_value=180),
        day=st.integers(min_value=-3, max_value=STAY.nights + 3),
        by_staff=st.booleans(),
        reason=st.sampled_from(["no bed fits the request", "   ", "changed plans"]),
    )


def next_step(data: st.DataObject, booking: Booking) -> Step:
    """Mostly a step the state allows, so random walks reach check-out; sometimes any step, so
    refusals are tried from every state."""
    allowed = sorted({action for state, action in NEXT_STATE if state is booking.state})
    stray = data.draw(st.integers(min_value=0, max_value=3)) == 0
    if allowed and not stray:
        return data.draw(steps(st.sampled_from(allowed)))
    return data.draw(steps(st.sampled_from(BookingAction)))


def apply(booking: Booking, step: Step, now: datetime) -> Booking:
    day = STAY.start + timedelta(days=step.day)
    match step.action:
        case BookingAction.HOLD:
            return rules.hold(booking, BEDS[step.bed], now, timedelta(minutes=step.hold_minutes))
        case BookingAction.WAITLIST:
            return rules.waitlist(booking, now)
        case BookingAction.REJECT:
            return rules.reject(booking, step.reason, now)
        case BookingAction.CONFIRM:
            return rules.confirm(booking, now)
        case BookingAction.EXPIRE:
            return rules.expire(booking, now)
        case BookingAction.CANCEL:
            return rules.cancel(booking, now, day, step.by_staff, step.reason)
        case BookingAction.CHECK_IN:
            return rules.check_in(booking, day, now)
        case BookingAction.CHECK_OUT:
            return rules.check_out(booking, day, now)
        case BookingAction.MOVE:
            return rules.move(booking, BEDS[step.bed], now)


def check_invariants(booking: Booking) -> None:
    assert booking.active == (booking.state in ACTIVE_STATES)
    assert (booking.hold_expires_at is not None) == (booking.state is BookingState.HELD)
    if booking.active:
        assert booking.bed_id is not None
    if booking.state in (BookingState.CHECKED_IN, BookingState.CHECKED_OUT):
        assert booking.checked_in_on is not None
        assert STAY.contains(booking.checked_in_on)
    if booking.state is BookingState.CHECKED_OUT:
        assert booking.checked_in_on is not None
        assert booking.checked_out_on is not None
        assert booking.checked_out_on >= booking.checked_in_on
    if booking.state is BookingState.REJECTED:
        assert booking.reason


@given(st.data(), st.integers(min_value=0, max_value=30))
def test_any_sequence_of_steps_moves_only_along_the_table(data: st.DataObject, length: int) -> None:
    booking = first = a_booking()
    now = T0
    for _ in range(length):
        step = next_step(data, booking)
        now += timedelta(minutes=step.minutes_later)
        before = booking
        try:
            booking = apply(booking, step, now)
        except IllegalTransition:
            assert (before.state, step.action) not in NEXT_STATE
            continue
        except DomainError:
            # The state allowed the step; another rule (a date, a deadline, a reason) did not.
            assert (before.state, step.action) in NEXT_STATE
            continue
        assert not before.finished  # final states absorb every step
        assert booking.state is NEXT_STATE[(before.state, step.action)]
        assert booking.state in TRANSITIONS[before.state]
        assert booking.updated_at == now
        check_invariants(booking)
    assert (booking.id, booking.resident_id, booking.stay, booking.requested_at) == (
        first.id,
        first.resident_id,
        first.stay,
        first.requested_at,
    )


def booking_in(state: BookingState) -> Booking:
    """A consistent booking in any state, as the machine would have left it."""
    bed = BEDS[0] if state in ACTIVE_STATES | FINAL_STATES else None
    held_until = T0 + HOUR if state is BookingState.HELD else None
    checked_in_on = (
        STAY.start if state in (BookingState.CHECKED_IN, BookingState.CHECKED_OUT) else None
    )
    return a_booking(
        state=state, bed_id=bed, hold_expires_at=held_until, checked_in_on=checked_in_on
    )


def attempt(booking: Booking, action: BookingAction) -> Booking:
    """Every function with arguments that satisfy all but the state rule."""
    later = T0 + 2 * HOUR  # past any hold's deadline
    step = Step(action, bed=1, day=-1, by_staff=True)
    if action in (BookingAction.CHECK_IN, BookingAction.CHECK_OUT):
        step = replace(step, day=2)
    return apply(booking, step, later)


@given(st.sampled_from(BookingState), st.sampled_from(BookingAction))
def test_every_function_obeys_the_table(state: BookingState, action: BookingAction) -> None:
    booking = booking_in(state)
    if (state, action) in NEXT_STATE:
        assert attempt(booking, action).state is NEXT_STATE[(state, action)]
    else:
        with pytest.raises(IllegalTransition):
            attempt(booking, action)


def test_final_states_lead_nowhere_and_only_final_states_do() -> None:
    assert {state for state, targets in TRANSITIONS.items() if not targets} == FINAL_STATES
    assert set(TRANSITIONS) == set(BookingState)


def test_a_refusal_says_what_and_why_in_plain_words() -> None:
    with pytest.raises(IllegalTransition) as refused:
        rules.check_in(booking_in(BookingState.HELD), STAY.start, T0)
    assert refused.value.message == "a held booking cannot be checked in"
    with pytest.raises(IllegalTransition) as refused:
        rules.confirm(booking_in(BookingState.EXPIRED), T0)
    assert refused.value.message == "an expired booking cannot be confirmed"


def test_a_waitlisted_booking_is_offered_a_bed_and_keeps_its_place_in_history() -> None:
    waiting = rules.waitlist(a_booking(), T0)
    held = rules.hold(waiting, BEDS[0], T0 + HOUR, timedelta(hours=48))

    assert (held.state, held.bed_id, held.waitlisted_at) == (BookingState.HELD, BEDS[0], T0)
    assert held.hold_expires_at == T0 + HOUR + timedelta(hours=48)


def test_a_payment_after_the_deadline_counts_until_the_expiry_job_has_run() -> None:
    held = rules.hold(a_booking(), BEDS[0], T0, HOUR)
    late = T0 + 2 * HOUR

    assert rules.is_hold_expired(held, late)
    assert rules.confirm(held, late).state is BookingState.CONFIRMED
    with pytest.raises(IllegalTransition):
        rules.confirm(rules.expire(held, late), late)  # the application refunds this payment


def test_a_hold_expires_at_its_deadline_and_not_before() -> None:
    held = rules.hold(a_booking(), BEDS[0], T0, HOUR)

    with pytest.raises(HoldNotExpired) as early:
        rules.expire(held, T0 + HOUR - timedelta(seconds=1))
    assert early.value.field == "hold_expires_at"
    expired = rules.expire(held, T0 + HOUR)
    assert (expired.state, expired.active, expired.bed_id) == (BookingState.EXPIRED, False, BEDS[0])


@given(st.integers(min_value=-300, max_value=300), st.integers(min_value=0, max_value=120))
def test_a_hold_is_expiring_soon_just_before_its_deadline(minutes: int, warn: int) -> None:
    held = rules.hold(a_booking(), BEDS[0], T0, HOUR)
    deadline = T0 + HOUR
    now = deadline + timedelta(minutes=minutes)
    soon = rules.hold_expiring_soon(held, now, timedelta(minutes=warn))

    assert soon == (-warn <= minutes < 0)
    assert rules.is_hold_expired(held, now) == (minutes >= 0)
    assert not (soon and rules.is_hold_expired(held, now))
    assert not rules.hold_expiring_soon(rules.confirm(held, now), now, timedelta(minutes=warn))


@pytest.mark.parametrize("state", sorted(rules.TRANSITIONS, key=str))
def test_residents_cancel_only_before_the_stay_staff_until_check_in(state: BookingState) -> None:
    booking = booking_in(state)
    cancellable = (state, BookingAction.CANCEL) in NEXT_STATE
    eve, first_night = STAY.start - timedelta(days=1), STAY.start

    for today, by_staff, allowed in [
        (eve, False, cancellable),
        (first_night, False, False),
        (first_night, True, cancellable),
    ]:
        if allowed:
            cancelled = rules.cancel(booking, T0, today, by_staff, "changed plans")
            assert (cancelled.state, cancelled.reason) == (BookingState.CANCELLED, "changed plans")
        else:
            with pytest.raises((IllegalTransition, TooLateToCancel)):
                rules.cancel(booking, T0, today, by_staff)
    assert cancellable == (
        state
        in ACTIVE_STATES - {BookingState.CHECKED_IN}
        | {BookingState.REQUESTED, BookingState.WAITLISTED}
    )


def test_a_checked_in_booking_is_checked_out_not_cancelled() -> None:
    inside = booking_in(BookingState.CHECKED_IN)
    with pytest.raises(IllegalTransition):
        rules.cancel(inside, T0, STAY.start, by_staff=True)
    assert rules.check_out(inside, STAY.start, T0).state is BookingState.CHECKED_OUT


@given(st.integers(min_value=-5, max_value=STAY.nights + 5))
def test_check_in_happens_on_a_night_of_the_stay(offset: int) -> None:
    on = STAY.start + timedelta(days=offset)
    confirmed = booking_in(BookingState.CONFIRMED)
    if 0 <= offset < STAY.nights:
        assert rules.check_in(confirmed, on, T0).checked_in_on == on
    else:
        with pytest.raises(DateOutsideStay) as refused:
            rules.check_in(confirmed, on, T0)
        assert refused.value.field == "checked_in_on"


@given(st.integers(min_value=-5, max_value=STAY.nights + 30))
def test_check_out_is_never_before_check_in_but_may_be_late(offset: int) -> None:
    inside = rules.check_in(booking_in(BookingState.CONFIRMED), STAY.start, T0)
    on = STAY.start + timedelta(days=offset)
    if offset >= 0:
        assert rules.check_out(inside, on, T0).checked_out_on == on
    else:
        with pytest.raises(DateOutsideStay) as refused:
            rules.check_out(inside, on, T0)
        assert refused.value.field == "checked_out_on"


def test_a_move_changes_the_bed_and_nothing_else() -> None:
    held = rules.hold(a_booking(), BEDS[0], T0, HOUR)
    moved = rules.move(held, BEDS[1], T0 + HOUR / 2)

    assert (moved.state, moved.bed_id, moved.hold_expires_at) == (
        BookingState.HELD,
        BEDS[1],
        held.hold_expires_at,
    )
    with pytest.raises(SameBed) as refused:
        rules.move(moved, BEDS[1], T0)
    assert refused.value.field == "bed_id"


@pytest.mark.parametrize("reason", ["", "   ", "x" * (rules.MAX_REASON_LENGTH + 1)])
def test_a_rejection_needs_a_reason(reason: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        rules.reject(a_booking(), reason, T0)
    assert refused.value.field == "reason"


def test_a_hold_must_last_some_time() -> None:
    with pytest.raises(ValueError, match="hold"):
        rules.hold(a_booking(), BEDS[0], T0, timedelta(0))


# Stays


@given(st.integers(min_value=-3, max_value=MAX_NIGHTS + 3))
def test_a_stay_lasts_one_to_366_nights(nights: int) -> None:
    starts_on = date(2027, 1, 1)
    ends_on = starts_on + timedelta(days=nights)
    if 1 <= nights <= MAX_NIGHTS:
        assert stay_of(starts_on, ends_on).nights == nights
    else:
        with pytest.raises(InvalidValue) as refused:
            stay_of(starts_on, ends_on)
        assert refused.value.field == "ends_on"


@given(st.integers(min_value=-10, max_value=10))
def test_a_new_request_cannot_start_in_the_past(days_from_today: int) -> None:
    today = date(2026, 8, 15)
    starts_on = today + timedelta(days=days_from_today)
    if days_from_today >= 0:
        assert requested_stay(starts_on, starts_on + timedelta(days=7), today).start == starts_on
    else:
        with pytest.raises(InvalidValue) as refused:
            requested_stay(starts_on, starts_on + timedelta(days=7), today)
        assert refused.value.field == "starts_on"


@given(st.integers(min_value=-30, max_value=STAY.nights + 30))
def test_a_term_under_way_is_booked_for_what_is_left_of_it(offset: int) -> None:
    today = STAY.start + timedelta(days=offset)
    if offset >= STAY.nights:
        with pytest.raises(InvalidValue) as refused:
            stay_for_term(STAY, today)
        assert refused.value.field == "term_id"
        return
    stay = stay_for_term(STAY, today)
    assert (stay.start, stay.end) == (max(STAY.start, today), STAY.end)
    assert stay.nights >= 1


def test_a_term_longer_than_a_year_is_not_one_stay() -> None:
    assert stay_for_term(STAY) == STAY
    with pytest.raises(InvalidValue) as refused:
        stay_for_term(DateRange(date(2026, 1, 1), date(2027, 1, 3)))
    assert refused.value.field == "term_id"
