"""Bookings: a resident's claim on one bed for a stay, from request to check-out.

    requested --allocate--> held --pay--> confirmed --check in--> checked_in --check out--> checked_out
        |                    |               |
        +--no bed--> waitlisted --offer--> held
        +--ineligible--> rejected
    requested, waitlisted, held, confirmed --cancel--> cancelled
    held --deadline passes unpaid--> expired

A booking occupies its bed (and its resident) while it is `held`, `confirmed` or `checked_in`:
those are the ACTIVE states, and the database refuses two active bookings that overlap on one bed
or one resident.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID, uuid4

from domain.housing.model import RoomType
from domain.shared.dates import DateRange


class BookingState(StrEnum):
    REQUESTED = "requested"
    WAITLISTED = "waitlisted"
    HELD = "held"
    CONFIRMED = "confirmed"
    CHECKED_IN = "checked_in"
    CHECKED_OUT = "checked_out"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    REJECTED = "rejected"


# States in which a booking holds its bed: no two may overlap on a bed or on a resident.
ACTIVE_STATES = frozenset({BookingState.HELD, BookingState.CONFIRMED, BookingState.CHECKED_IN})
# States in which the resident lives, or will live, in the bed: who an announcement to a
# building reaches, who a closure affects.
OCCUPYING_STATES = frozenset({BookingState.CONFIRMED, BookingState.CHECKED_IN})
FINAL_STATES = frozenset(
    {
        BookingState.CHECKED_OUT,
        BookingState.CANCELLED,
        BookingState.EXPIRED,
        BookingState.REJECTED,
    }
)


@dataclass(frozen=True, slots=True)
class BedPreferences:
    """What the resident asked for when they named neither a bed nor a room."""

    building_id: UUID | None = None
    room_type: RoomType | None = None
    accessible: bool | None = None


@dataclass(frozen=True, slots=True)
class Booking:
    resident_id: UUID
    stay: DateRange  # the contracted nights, half-open
    requested_at: datetime
    state: BookingState = BookingState.REQUESTED
    # What was asked for: a bed, a room, or preferences; `bed_id` is the bed allocated.
    requested_bed_id: UUID | None = None
    requested_room_id: UUID | None = None
    preferences: BedPreferences = field(default_factory=BedPreferences)
    term_id: UUID | None = None
    bed_id: UUID | None = None
    hold_expires_at: datetime | None = None
    # Among the waitlisted, who came first: the time the booking joined the waitlist.
    waitlisted_at: datetime | None = None
    # The real dates, kept apart from the contracted `stay`.
    checked_in_on: date | None = None
    checked_out_on: date | None = None
    reason: str | None = None  # why it was rejected or cancelled
    # The background job that reports the allocation of the request.
    job_id: UUID | None = None
    updated_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def finished(self) -> bool:
        return self.state in FINAL_STATES
