"""Closures: a bed, a room or a whole building taken out of use for a half-open date range
`[starts_on, ends_on)`, with a reason (a repair, a deep clean, a building shut for the summer).

A closure covers the beds of its target: the bed itself, every bed of the room, every bed of
the building's rooms. A covered bed is not offered to anyone for a night the closure spans.

Decisions:
- A closure does not cancel the bookings it meets. Placing one over held, confirmed or
  checked-in bookings is refused unless forced; forced, the residents are told and the office
  moves or cancels them. Requested and waitlisted bookings hold no bed, so nothing is affected.
- A closure may lie in the past (recording a repair after the fact); its length is bounded like
  a stay's, plus some slack for a building shut for a long renovation.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from domain.bookings.model import ACTIVE_STATES, BookingState
from domain.bookings.rules import check_reason
from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue

# Two academic years: long enough for a renovation, short enough to catch a typo in a year.
MAX_CLOSURE_DAYS = 731


class ClosureTarget(StrEnum):
    BED = "bed"
    ROOM = "room"
    BUILDING = "building"


@dataclass(frozen=True, slots=True)
class BedPlace:
    """Where a bed is: what a closure's target is compared with."""

    bed_id: UUID
    room_id: UUID
    building_id: UUID


@dataclass(frozen=True, slots=True)
class Closure:
    target: ClosureTarget
    target_id: UUID
    dates: DateRange
    reason: str
    created_at: datetime
    created_by: UUID | None = None
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class BookedBed:
    """An active booking on a bed, as a closure sees it."""

    booking_id: UUID
    resident_id: UUID
    state: BookingState
    stay: DateRange
    place: BedPlace


def closure_dates(dates: DateRange) -> DateRange:
    """Checks the length of a closure's dates (DateRange already refuses an empty range)."""
    if dates.nights > MAX_CLOSURE_DAYS:
        raise InvalidValue("ends_on", f"a closure may last at most {MAX_CLOSURE_DAYS} days")
    return dates


def new_closure(
    target: ClosureTarget,
    target_id: UUID,
    dates: DateRange,
    reason: str,
    now: datetime,
    created_by: UUID | None = None,
) -> Closure:
    return Closure(
        target=target,
        target_id=target_id,
        dates=closure_dates(dates),
        reason=check_reason(reason),
        created_at=now,
        created_by=created_by,
    )


def covers(closure: Closure, place: BedPlace) -> bool:
    """Whether the closure's target is this bed, its room or its building."""
    targets = {
        ClosureTarget.BED: place.bed_id,
        ClosureTarget.ROOM: place.room_id,
        ClosureTarget.BUILDING: place.building_id,
    }
    return targets[closure.target] == closure.target_id


def closes(closure: Closure, place: BedPlace, stay: DateRange) -> bool:
    """Whether the closure takes the bed away for at least one night of `stay`."""
    return covers(closure, place) and closure.dates.overlaps(stay)


def closed_for(closures: Iterable[Closure], place: BedPlace, stay: DateRange) -> bool:
    return any(closes(closure, place, stay) for closure in closures)


def affected(closure: Closure, booked: Iterable[BookedBed]) -> list[BookedBed]:
    """The active bookings the closure would meet, in stay order (ties by booking id)."""
    met = [
        booking
        for booking in booked
        if booking.state in ACTIVE_STATES and closes(closure, booking.place, booking.stay)
    ]
    return sorted(met, key=lambda booking: (booking.stay.start, booking.booking_id))
