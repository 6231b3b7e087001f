"""What can go wrong with a booking, each named for what went wrong.

Conflicts (409) clash with the booking's or the resident's current state; invalid values (422)
are inputs that break a rule on their own; a bad webhook signature is unauthenticated (401).
"""

from datetime import date, datetime
from enum import StrEnum

from domain.shared.errors import Conflict, InvalidValue, Unauthenticated


class IllegalTransition(Conflict):
    """A booking was asked to do something its current state does not allow."""

    def __init__(self, current: str, action: str) -> None:
        article = "an" if current[:1] in "aeiou" else "a"
        super().__init__(f"{article} {current} booking cannot {action}", field="state")
        self.current = current
        self.action = action


class HoldNotExpired(Conflict):
    """The expiry job reached a hold before its deadline (a clock skew, or the deadline was
    pushed back). Distinct from IllegalTransition so the job can tell "not yet" from "already
    handled" and simply try again later."""

    def __init__(self, hold_expires_at: datetime | None) -> None:
        message = (
            "the hold has no deadline"
            if hold_expires_at is None
            else f"the hold runs until {hold_expires_at.isoformat()}"
        )
        super().__init__(message, field="hold_expires_at")
        self.hold_expires_at = hold_expires_at


class TooLateToCancel(Conflict):
    """Residents may cancel only before their stay begins; after that the office decides
    (a refund, a notice period), so only staff may cancel."""

    def __init__(self, starts_on: date) -> None:
        super().__init__(
            f"the stay began on {starts_on.isoformat()}; ask the residence office to cancel it",
            field="starts_on",
        )
        self.starts_on = starts_on


class Ineligibility(StrEnum):
    """Why a resident may not book, as a stable code the API and the UI can branch on."""

    FORMER_RESIDENT = "former_resident"
    OVERLAPPING_BOOKING = "overlapping_booking"


_INELIGIBILITY_MESSAGES = {
    Ineligibility.FORMER_RESIDENT: "a former resident cannot book a bed; reactivate them first",
    Ineligibility.OVERLAPPING_BOOKING: "the resident already has an active booking for these dates",
}


class NotEligible(Conflict):
    """The resident may not book now. A conflict, not an invalid value: the same request is
    fine for another resident, or for this one once their situation changes."""

    def __init__(self, why: Ineligibility) -> None:
        super().__init__(_INELIGIBILITY_MESSAGES[why], field="resident_id")
        self.why = why


class SameBed(InvalidValue):
    def __init__(self) -> None:
        super().__init__("bed_id", "the booking is already in this bed")


class DateOutsideStay(InvalidValue):
    """A check-in or check-out date the booking's stay does not allow."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(field, message)


class SignatureProblem(StrEnum):
    MISSING = "missing"
    MALFORMED = "malformed"
    STALE = "stale"  # the timestamp is outside the tolerance, either way
    MISMATCH = "mismatch"


class InvalidSignature(Unauthenticated):
    """A payment webhook whose signature does not prove it came from the gateway.

    Unauthenticated (401) rather than InvalidValue: nothing in the body is wrong, the sender is
    unproven. The message stays vague, like every Unauthenticated, so a forger learns nothing;
    `problem` says which check failed, for the log.
    """

    def __init__(self, problem: SignatureProblem) -> None:
        super().__init__("the webhook signature could not be verified")
        self.problem = problem


class ClosureMeetsBookings(Conflict):
    """A closure over beds that held, confirmed or checked-in bookings use for those dates.
    `affected` lists them (booking, resident, name, bed) for the office to move or cancel, or
    to confirm the closure with `force`; it is the problem document's `affected` member."""

    def __init__(self, affected: list[dict[str, str]]) -> None:
        super().__init__(
            f"{len(affected)} active bookings use the beds for these dates; move or cancel "
            "them, or send force=true to close anyway and tell the residents",
            field="force",
        )
        self.affected = affected

    @property
    def extensions(self) -> dict[str, object]:
        return {"affected": self.affected}


class BedClosed(Conflict):
    """The bed is closed for some night of the stay."""

    def __init__(self) -> None:
        super().__init__("the bed is closed for some of these dates", field="bed_id")
