"""The state machine of a booking, as pure functions.

Each transition takes a booking and returns its next version (`dataclasses.replace`), stamped
`updated_at=now`; the booking it was given is unchanged. A step the current state does not allow
raises IllegalTransition and changes nothing. `NEXT_STATE` is the whole machine, one row per
(state, action); `TRANSITIONS` is the same table folded to state -> states it may become, and no
function moves a booking anywhere else.

Decisions:
- Paying a hold whose deadline has passed is accepted while the booking still says `held`: the
  expiry job has not run, so the bed was never offered to anyone else, and refusing would mean a
  refund and a new request for the same bed. Once `expired` (or `cancelled`), a payment is
  refused and the application refunds it.
- Residents and staff may cancel the same states (requested, waitlisted, held, confirmed);
  residents only before the stay starts, staff at any time. A checked-in booking is never
  cancelled: the resident is in the bed, so it is checked out instead, which keeps the real dates.
- Check-in happens on a night of the stay, `stay.start <= on < stay.end`: no early arrivals (the
  bed may still be someone else's), and arriving on the last morning makes no night.
- Check-out may be any day from the check-in day on, even past `stay.end`: it records when the
  resident really left.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.bookings.errors import (
    DateOutsideStay,
    HoldNotExpired,
    IllegalTransition,
    SameBed,
    TooLateToCancel,
)
from domain.bookings.model import Booking, BookingState
from domain.shared.errors import InvalidValue

# Reasons are read by people on a booking page; a page of text is not a reason.
MAX_REASON_LENGTH = 500


class BookingAction(StrEnum):
    """Each value completes "a held booking cannot ...", the message of IllegalTransition."""

    HOLD = "be held"
    WAITLIST = "be waitlisted"
    REJECT = "be rejected"
    CONFIRM = "be confirmed"
    EXPIRE = "expire"
    CANCEL = "be cancelled"
    CHECK_IN = "be checked in"
    CHECK_OUT = "be checked out"
    MOVE = "move to another bed"


NEXT_STATE: Mapping[tuple[BookingState, BookingAction], BookingState] = {
    (BookingState.REQUESTED, BookingAction.HOLD): BookingState.HELD,
    # A freed bed offered to the waitlist.
    (BookingState.WAITLISTED, BookingAction.HOLD): BookingState.HELD,
    (BookingState.REQUESTED, BookingAction.WAITLIST): BookingState.WAITLISTED,
    (BookingState.REQUESTED, BookingAction.REJECT): BookingState.REJECTED,
    (BookingState.WAITLISTED, BookingAction.REJECT): BookingState.REJECTED,
    (BookingState.HELD, BookingAction.CONFIRM): BookingState.CONFIRMED,
    (BookingState.HELD, BookingAction.EXPIRE): BookingState.EXPIRED,
    (BookingState.REQUESTED, BookingAction.CANCEL): BookingState.CANCELLED,
    (BookingState.WAITLISTED, BookingAction.CANCEL): BookingState.CANCELLED,
    (BookingState.HELD, BookingAction.CANCEL): BookingState.CANCELLED,
    (BookingState.CONFIRMED, BookingAction.CANCEL): BookingState.CANCELLED,
    (BookingState.CONFIRMED, BookingAction.CHECK_IN): BookingState.CHECKED_IN,
    (BookingState.CHECKED_IN, BookingAction.CHECK_OUT): BookingState.CHECKED_OUT,
    # A move changes the bed, not the state: only a booking that has a bed can move.
    (BookingState.HELD, BookingAction.MOVE): BookingState.HELD,
    (BookingState.CONFIRMED, BookingAction.MOVE): BookingState.CONFIRMED,
    (BookingState.CHECKED_IN, BookingAction.MOVE): BookingState.CHECKED_IN,
}

# Every state, with the states it may become; the final states lead nowhere.
TRANSITIONS: Mapping[BookingState, frozenset[BookingState]] = {
    state: frozenset(target for (source, _), target in NEXT_STATE.items() if source is state)
    for state in BookingState
}


def next_state(current: BookingState, action: BookingAction) -> BookingState:
    try:
        return NEXT_STATE[(current, action)]
    except KeyError:
        raise IllegalTransition(current.value, action.value) from None


def hold(booking: Booking, bed_id: UUID, now: datetime, hold_for: timedelta) -> Booking:
    """A bed is set aside until `now + hold_for` for the resident to pay. A waitlisted booking
    keeps its `waitlisted_at`: it records how it got the bed."""
    state = next_state(booking.state, BookingAction.HOLD)
    if hold_for <= timedelta(0):
        raise ValueError("a hold must last some time")
    return replace(
        booking, state=state, bed_id=bed_id, hold_expires_at=now + hold_for, updated_at=now
    )


def waitlist(booking: Booking, now: datetime) -> Booking:
    """No suitable bed is free; the booking joins the queue at the back."""
    state = next_state(booking.state, BookingAction.WAITLIST)
    return replace(booking, state=state, waitlisted_at=now, updated_at=now)


def reject(booking: Booking, reason: str, now: datetime) -> Booking:
    """The office turns a request down; the resident is told why, so a reason is required."""
    state = next_state(booking.state, BookingAction.REJECT)
    return replace(booking, state=state, reason=check_reason(reason), updated_at=now)


def confirm(booking: Booking, now: datetime) -> Booking:
    """The payment arrived. A lapsed deadline does not matter while the booking is still held
    (see the module docstring)."""
    state = next_state(booking.state, BookingAction.CONFIRM)
    return replace(booking, state=state, hold_expires_at=None, updated_at=now)


def expire(booking: Booking, now: datetime) -> Booking:
    """The deadline passed unpaid: the bed is released. `bed_id` stays, for the history."""
    state = next_state(booking.state, BookingAction.EXPIRE)
    if booking.hold_expires_at is None or now < booking.hold_expires_at:
        raise HoldNotExpired(booking.hold_expires_at)
    return replace(booking, state=state, hold_expires_at=None, updated_at=now)


def cancel(
    booking: Booking, now: datetime, today: date, by_staff: bool, reason: str | None = None
) -> Booking:
    """Residents cancel before the stay starts; staff at any time (see the module docstring)."""
    state = next_state(booking.state, BookingAction.CANCEL)
    if not by_staff and today >= booking.stay.start:
        raise TooLateToCancel(booking.stay.start)
    checked_reason = None if reason is None else check_reason(reason)
    return replace(
        booking, state=state, reason=checked_reason, hold_expires_at=None, updated_at=now
    )


def check_in(booking: Booking, on: date, now: datetime) -> Booking:
    state = next_state(booking.state, BookingAction.CHECK_IN)
    if not booking.stay.contains(on):
        raise DateOutsideStay(
            "checked_in_on",
            f"must be a night of the stay, from {booking.stay.start.isoformat()} "
            f"to {(booking.stay.end - timedelta(days=1)).isoformat()}",
        )
    return replace(booking, state=state, checked_in_on=on, updated_at=now)


def check_out(booking: Booking, on: date, now: datetime) -> Booking:
    state = next_state(booking.state, BookingAction.CHECK_OUT)
    if booking.checked_in_on is not None and on < booking.checked_in_on:
        raise DateOutsideStay(
            "checked_out_on",
            f"must not be before the check-in on {booking.checked_in_on.isoformat()}",
        )
    return replace(booking, state=state, checked_out_on=on, updated_at=now)


def move(booking: Booking, new_bed_id: UUID, now: datetime) -> Booking:
    """Another bed for the same stay; whether it is free is the caller's (and the database's)
    concern. A held booking keeps its deadline: moving is not a reason to wait longer."""
    state = next_state(booking.state, BookingAction.MOVE)
    if new_bed_id == booking.bed_id:
        raise SameBed()
    return replace(booking, state=state, bed_id=new_bed_id, updated_at=now)


def is_hold_expired(booking: Booking, now: datetime) -> bool:
    """The deadline is the first instant the hold no longer protects the bed."""
    return (
        booking.state is BookingState.HELD
        and booking.hold_expires_at is not None
        and now >= booking.hold_expires_at
    )


def hold_expiring_soon(booking: Booking, now: datetime, warn_before: timedelta) -> bool:
    """Within `warn_before` of the deadline, and not yet past it: time to remind the resident."""
    if booking.state is not BookingState.HELD or booking.hold_expires_at is None:
        return False
    return booking.hold_expires_at - warn_before <= now < booking.hold_expires_at


def check_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise InvalidValue("reason", "must not be empty")
    if len(cleaned) > MAX_REASON_LENGTH:
        raise InvalidValue("reason", f"use at most {MAX_REASON_LENGTH} characters")
    return cleaned
