"""Choosing a bed for a resident, and a resident (from the waitlist) for a freed bed. Pure.

The caller gathers the facts: the beds free for the whole stay and not in a closed room, the
resident's status, gender and accessibility need. These functions only rank and filter.

Decisions:
- Applicants may book: a resident is created as an applicant, and a booking is how an applicant
  gets housed. Active residents may book too (another term, a move). Former residents may not.
- Accessible rooms are kept for those who need them: someone who does not need one gets one
  only when no other suitable bed is left. This comes before filling rooms, since a free bed in
  a half-full accessible room is still a bed a wheelchair user could take.
- Then rooms are filled: a bed in a partly occupied room before a bed in an empty one, which
  keeps whole rooms free for groups and for closures.
- Ties break on (room_number, bed_label, bed_id) so the same candidates always give the same bed,
  whatever order the query returned them in.
- Allocations that run at once would all pick that same bed and all but one would lose the race.
  So the allocation of a request uses `choose_bed_for`: the same standing (accessible rooms
  spared, partly occupied rooms first), but among the beds of that best standing each booking
  takes the one it draws first by a hash of (booking id, bed id). Racers spread over the beds
  of equal standing, the same booking always draws the same bed from the same candidates, and
  a bed taken by someone else moves only the racers who had drawn that very bed.
- A preference `accessible=False` is read as "no preference", not "never accessible": the ranking
  above already keeps such residents out of accessible rooms while others are free.
- The waitlist is first come, first served by `waitlisted_at` (ties by booking id). The caller
  passes only waitlisted bookings whose stay fits the freed bed (no overlap with the active
  bookings on it); here a booking fits if its named bed or room, its preferences and its
  resident all accept the bed.
"""

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.bookings.errors import Ineligibility, NotEligible
from domain.bookings.model import BedPreferences, Booking, BookingState
from domain.housing.model import Gender, GenderPolicy, Resident, ResidentStatus, RoomType

BOOKING_STATUSES = frozenset({ResidentStatus.APPLICANT, ResidentStatus.ACTIVE})


@dataclass(frozen=True, slots=True)
class CandidateBed:
    """A bed free for the stay, with what allocation needs to know about its room and building."""

    bed_id: UUID
    room_id: UUID
    building_id: UUID
    room_number: str
    bed_label: str
    room_type: RoomType
    accessible: bool
    building_gender_policy: GenderPolicy
    occupied_beds_in_room: int  # beds of the room taken for (part of) the stay
    room_capacity: int
    floor: int

    @property
    def room_partly_occupied(self) -> bool:
        return 0 < self.occupied_beds_in_room < self.room_capacity


@dataclass(frozen=True, slots=True)
class ResidentFacts:
    """What allocation needs to know about a resident, and nothing more."""

    resident_id: UUID
    status: ResidentStatus
    gender: Gender
    needs_accessible_room: bool

    @classmethod
    def of(cls, resident: Resident) -> "ResidentFacts":
        return cls(resident.id, resident.status, resident.gender, resident.needs_accessible_room)


def check_eligibility(resident: ResidentFacts, has_overlapping_active_booking: bool) -> None:
    """Raise NotEligible, naming why, unless the resident may book a bed for the stay."""
    if resident.status not in BOOKING_STATUSES:
        raise NotEligible(Ineligibility.FORMER_RESIDENT)
    if has_overlapping_active_booking:
        # One person, one bed a night; the database enforces it too, this says it kindly.
        raise NotEligible(Ineligibility.OVERLAPPING_BOOKING)


def gender_allows(policy: GenderPolicy, gender: Gender) -> bool:
    """A single-gender building takes only residents who said they are of that gender; a
    non-binary or undisclosed resident is housed in mixed or gender-inclusive buildings."""
    if policy in (GenderPolicy.MIXED, GenderPolicy.GENDER_INCLUSIVE):
        return True
    if policy is GenderPolicy.FEMALE:
        return gender is Gender.FEMALE
    return gender is Gender.MALE


def suitable(bed: CandidateBed, resident: ResidentFacts, preferences: BedPreferences) -> bool:
    """The building takes the resident, the room meets their need, and their wishes if any."""
    if not gender_allows(bed.building_gender_policy, resident.gender):
        return False
    wants_accessible = resident.needs_accessible_room or preferences.accessible is True
    if wants_accessible and not bed.accessible:
        return False
    if preferences.building_id is not None and bed.building_id != preferences.building_id:
        return False
    return preferences.room_type is None or bed.room_type is preferences.room_type


def _standing(bed: CandidateBed, resident: ResidentFacts) -> tuple[bool, bool]:
    # False sorts first: a non-accessible room for who does not need one, then a partly full room.
    spends_accessible_room = bed.accessible and not resident.needs_accessible_room
    return (spends_accessible_room, not bed.room_partly_occupied)


def _rank(bed: CandidateBed, resident: ResidentFacts) -> tuple[bool, bool, str, str, UUID]:
    return (*_standing(bed, resident), bed.room_number, bed.bed_label, bed.bed_id)


def choose_bed(
    candidates: Iterable[CandidateBed], resident: ResidentFacts, preferences: BedPreferences
) -> CandidateBed | None:
    """The best suitable bed (see the module docstring for the order), or None if there is none."""
    fitting = [bed for bed in candidates if suitable(bed, resident, preferences)]
    return min(fitting, key=lambda bed: _rank(bed, resident), default=None)


def _draw(booking_id: UUID, bed: CandidateBed) -> bytes:
    # Rendezvous hashing: each booking orders the beds its own way, and removing one bed leaves
    # the order of the others unchanged. A stable hash, so every process draws alike.
    return hashlib.blake2b(booking_id.bytes + bed.bed_id.bytes, digest_size=8).digest()


def choose_bed_for(
    booking_id: UUID,
    candidates: Iterable[CandidateBed],
    resident: ResidentFacts,
    preferences: BedPreferences,
    excluded: Collection[UUID] = frozenset(),
) -> CandidateBed | None:
    """A suitable bed of the best standing choose_bed would give, not in `excluded` (beds this
    allocation already lost); among equals, the one the booking draws first. None if none."""
    fitting = [
        bed
        for bed in candidates
        if bed.bed_id not in excluded and suitable(bed, resident, preferences)
    ]
    if not fitting:
        return None
    best = min(_standing(bed, resident) for bed in fitting)
    equals = [bed for bed in fitting if _standing(bed, resident) == best]
    return min(equals, key=lambda bed: (_draw(booking_id, bed), bed.bed_id))


def matches_waitlisted(booking: Booking, bed: CandidateBed, resident: ResidentFacts) -> bool:
    """Whether a freed bed answers this waitlisted booking. Stay overlap is the caller's check."""
    if booking.resident_id != resident.resident_id:
        raise ValueError("the resident facts belong to another resident")
    if booking.state is not BookingState.WAITLISTED or resident.status not in BOOKING_STATUSES:
        return False
    if booking.requested_bed_id is not None and booking.requested_bed_id != bed.bed_id:
        return False
    if booking.requested_room_id is not None and booking.requested_room_id != bed.room_id:
        return False
    return suitable(bed, resident, booking.preferences)


def _queue_key(booking: Booking) -> tuple[datetime, UUID]:
    # A waitlisted booking always has `waitlisted_at`; the request time is a safe stand-in.
    return (booking.waitlisted_at or booking.requested_at, booking.id)


def first_waitlisted(
    waitlisted: Iterable[tuple[Booking, ResidentFacts]], bed: CandidateBed
) -> Booking | None:
    """The booking that waited longest among those the freed bed answers, or None."""
    fitting = [
        booking for booking, resident in waitlisted if matches_waitlisted(booking, bed, resident)
    ]
    return min(fitting, key=_queue_key, default=None)


def waitlist_position(booking: Booking, waitlisted: Iterable[Booking]) -> int:
    """1 for the next in line. `waitlisted` is the queue the booking waits in (the caller
    chooses it: one building, one term); the booking itself may or may not be among them."""
    if booking.state is not BookingState.WAITLISTED:
        raise ValueError("only a waitlisted booking has a place in the queue")
    own = _queue_key(booking)
    ahead = {
        other.id
        for other in waitlisted
        if other.state is BookingState.WAITLISTED and _queue_key(other) < own
    }
    return len(ahead) + 1
