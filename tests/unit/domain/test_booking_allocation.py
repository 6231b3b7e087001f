"""Pure allocation rules: who may book, which bed a resident gets, who a freed bed goes to."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from random import Random
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bookings.allocation import (
    CandidateBed,
    ResidentFacts,
    check_eligibility,
    choose_bed,
    first_waitlisted,
    gender_allows,
    matches_waitlisted,
    suitable,
    waitlist_position,
)
from domain.bookings.errors import Ineligibility, NotEligible
from domain.bookings.model import BedPreferences, Booking, BookingState
from domain.housing.model import Gender, GenderPolicy, Resident, ResidentStatus, RoomType
from domain.shared.dates import DateRange

T0 = datetime(2026, 8, 1, 9, 0, tzinfo=UTC)
STAY = DateRange(date(2026, 9, 1), date(2026, 12, 20))
BUILDINGS = [UUID(int=10), UUID(int=11)]
ROOMS = [UUID(int=20), UUID(int=21), UUID(int=22)]
NO_PREFERENCE = BedPreferences()


@st.composite
def candidate_beds(draw: st.DrawFn) -> CandidateBed:
    capacity = draw(st.integers(min_value=1, max_value=4))
    return CandidateBed(
        bed_id=draw(st.uuids()),
        room_id=draw(st.sampled_from(ROOMS)),
        building_id=draw(st.sampled_from(BUILDINGS)),
        room_number=draw(st.sampled_from(["101", "102", "201"])),
        bed_label=draw(st.sampled_from(["A", "B"])),
        room_type=draw(st.sampled_from(RoomType)),
        accessible=draw(st.booleans()),
        building_gender_policy=draw(st.sampled_from(GenderPolicy)),
        # The bed offered is free, so the room is never full.
        occupied_beds_in_room=draw(st.integers(min_value=0, max_value=capacity - 1)),
        room_capacity=capacity,
        floor=draw(st.integers(min_value=0, max_value=5)),
    )


residents = st.builds(
    ResidentFacts,
    resident_id=st.uuids(),
    status=st.sampled_from([ResidentStatus.APPLICANT, ResidentStatus.ACTIVE]),
    gender=st.sampled_from(Gender),
    needs_accessible_room=st.booleans(),
)
preferences = st.builds(
    BedPreferences,
    building_id=st.none() | st.sampled_from(BUILDINGS),
    room_type=st.none() | st.sampled_from(RoomType),
    accessible=st.sampled_from([None, True, False]),
)
bed_lists = st.lists(candidate_beds(), max_size=12, unique_by=lambda bed: bed.bed_id)


def a_bed(**changes: object) -> CandidateBed:
    bed = CandidateBed(
        bed_id=uuid4(),
        room_id=ROOMS[0],
        building_id=BUILDINGS[0],
        room_number="101",
        bed_label="A",
        room_type=RoomType.DOUBLE,
        accessible=False,
        building_gender_policy=GenderPolicy.MIXED,
        occupied_beds_in_room=0,
        room_capacity=2,
        floor=1,
    )
    return replace(bed, **changes)  # type: ignore[arg-type]


def a_resident(**changes: object) -> ResidentFacts:
    resident = ResidentFacts(uuid4(), ResidentStatus.APPLICANT, Gender.FEMALE, False)
    return replace(resident, **changes)  # type: ignore[arg-type]


# Eligibility


@given(st.sampled_from(ResidentStatus), st.booleans())
def test_applicants_and_active_residents_may_book_one_bed_a_night(
    status: ResidentStatus, overlapping: bool
) -> None:
    resident = a_resident(status=status)
    if status is ResidentStatus.FORMER or overlapping:
        with pytest.raises(NotEligible) as refused:
            check_eligibility(resident, overlapping)
        expected = (
            Ineligibility.FORMER_RESIDENT
            if status is ResidentStatus.FORMER
            else Ineligibility.OVERLAPPING_BOOKING
        )
        assert (refused.value.why, refused.value.field) == (expected, "resident_id")
    else:
        check_eligibility(resident, overlapping)


def test_facts_are_read_from_a_resident() -> None:
    resident = Resident("S1", "Ada", "Okafor", "ada@example.edu", needs_accessible_room=True)
    facts = ResidentFacts.of(resident)
    assert facts == ResidentFacts(resident.id, ResidentStatus.APPLICANT, Gender.UNDISCLOSED, True)


# Gender policy

GENDER_TABLE = {
    GenderPolicy.MIXED: set(Gender),
    GenderPolicy.GENDER_INCLUSIVE: set(Gender),
    GenderPolicy.FEMALE: {Gender.FEMALE},
    GenderPolicy.MALE: {Gender.MALE},
}


@given(st.sampled_from(GenderPolicy), st.sampled_from(Gender))
def test_gender_policy_table(policy: GenderPolicy, gender: Gender) -> None:
    assert gender_allows(policy, gender) == (gender in GENDER_TABLE[policy])


@pytest.mark.parametrize("gender", [Gender.NON_BINARY, Gender.UNDISCLOSED])
def test_residents_of_no_stated_binary_gender_live_in_mixed_or_inclusive_buildings(
    gender: Gender,
) -> None:
    allowed = {policy for policy in GenderPolicy if gender_allows(policy, gender)}
    assert allowed == {GenderPolicy.MIXED, GenderPolicy.GENDER_INCLUSIVE}


# Choosing a bed


def test_preferences_filter_and_a_need_for_access_is_never_ignored() -> None:
    resident = a_resident(needs_accessible_room=True)
    step_free = a_bed(accessible=True, room_type=RoomType.SINGLE)
    stairs = a_bed(accessible=False, room_type=RoomType.SINGLE)

    assert suitable(step_free, resident, NO_PREFERENCE)
    assert not suitable(stairs, resident, NO_PREFERENCE)
    assert not suitable(step_free, resident, BedPreferences(room_type=RoomType.DOUBLE))
    assert not suitable(step_free, resident, BedPreferences(building_id=BUILDINGS[1]))
    assert not suitable(stairs, a_resident(), BedPreferences(accessible=True))
    assert suitable(step_free, a_resident(), BedPreferences(accessible=False))  # no preference
    assert not suitable(a_bed(building_gender_policy=GenderPolicy.MALE), resident, NO_PREFERENCE)


def test_rooms_are_filled_and_accessible_rooms_kept_for_those_who_need_them() -> None:
    empty = a_bed(room_number="101")
    half_full = a_bed(room_number="305", occupied_beds_in_room=1)
    accessible_half_full = a_bed(room_number="001", accessible=True, occupied_beds_in_room=1)
    beds = [empty, accessible_half_full, half_full]

    assert choose_bed(beds, a_resident(), NO_PREFERENCE) == half_full
    assert choose_bed([empty, accessible_half_full], a_resident(), NO_PREFERENCE) == empty
    assert choose_bed([accessible_half_full], a_resident(), NO_PREFERENCE) == accessible_half_full
    needing = a_resident(needs_accessible_room=True)
    assert choose_bed(beds, needing, NO_PREFERENCE) == accessible_half_full
    assert choose_bed([empty, half_full], needing, NO_PREFERENCE) is None


@given(bed_lists, residents, preferences)
def test_the_chosen_bed_is_suitable_and_none_only_when_none_is(
    beds: list[CandidateBed], resident: ResidentFacts, wishes: BedPreferences
) -> None:
    chosen = choose_bed(beds, resident, wishes)
    fitting = [bed for bed in beds if suitable(bed, resident, wishes)]

    assert (chosen is None) == (not fitting)
    assert chosen is None or chosen in fitting


@given(bed_lists, residents, preferences)
def test_accessible_rooms_are_spared_then_rooms_are_filled(
    beds: list[CandidateBed], resident: ResidentFacts, wishes: BedPreferences
) -> None:
    chosen = choose_bed(beds, resident, wishes)
    fitting = [bed for bed in beds if suitable(bed, resident, wishes)]
    if chosen is None:
        return
    if not resident.needs_accessible_room and any(not bed.accessible for bed in fitting):
        assert not chosen.accessible
    # Among the beds of the same accessibility as the one chosen, a partly full room wins.
    peers = [bed for bed in fitting if bed.accessible == chosen.accessible]
    if any(bed.room_partly_occupied for bed in peers):
        assert chosen.room_partly_occupied


@given(bed_lists, residents, preferences, st.randoms(use_true_random=False))
def test_the_choice_does_not_depend_on_the_order_of_the_candidates(
    beds: list[CandidateBed], resident: ResidentFacts, wishes: BedPreferences, random: Random
) -> None:
    shuffled = list(beds)
    random.shuffle(shuffled)
    assert choose_bed(shuffled, resident, wishes) == choose_bed(beds, resident, wishes)


# The waitlist


def waiting(resident: ResidentFacts, minutes: int, **changes: object) -> Booking:
    booking = Booking(
        resident_id=resident.resident_id,
        stay=STAY,
        requested_at=T0,
        state=BookingState.WAITLISTED,
        waitlisted_at=T0 + timedelta(minutes=minutes),
    )
    return replace(booking, **changes)  # type: ignore[arg-type]


def test_a_freed_bed_answers_what_was_asked_for() -> None:
    bed = a_bed(building_gender_policy=GenderPolicy.FEMALE)
    ada = a_resident()

    assert matches_waitlisted(waiting(ada, 0), bed, ada)
    assert matches_waitlisted(waiting(ada, 0, requested_bed_id=bed.bed_id), bed, ada)
    assert not matches_waitlisted(waiting(ada, 0, requested_bed_id=uuid4()), bed, ada)
    assert matches_waitlisted(waiting(ada, 0, requested_room_id=bed.room_id), bed, ada)
    assert not matches_waitlisted(waiting(ada, 0, requested_room_id=ROOMS[2]), bed, ada)
    wants_single = BedPreferences(room_type=RoomType.SINGLE)
    assert not matches_waitlisted(waiting(ada, 0, preferences=wants_single), bed, ada)
    ben = a_resident(gender=Gender.MALE)
    assert not matches_waitlisted(waiting(ben, 0), bed, ben)
    gone = replace(ada, status=ResidentStatus.FORMER)
    assert not matches_waitlisted(waiting(gone, 0), bed, gone)
    assert not matches_waitlisted(waiting(ada, 0, state=BookingState.CANCELLED), bed, ada)


@given(
    st.lists(st.booleans(), min_size=1, max_size=10),
    st.randoms(use_true_random=False),
)
def test_the_longest_waiting_booking_that_fits_gets_the_bed(
    fits: list[bool], random: Random
) -> None:
    bed = a_bed()
    queue = []
    for minutes, fitting in enumerate(fits):
        resident = a_resident()
        other_bed = None if fitting else uuid4()
        queue.append((waiting(resident, minutes, requested_bed_id=other_bed), resident))
    expected = next(
        (booking for (booking, _), fitting in zip(queue, fits, strict=True) if fitting), None
    )
    random.shuffle(queue)

    assert first_waitlisted(queue, bed) == expected


@given(st.integers(min_value=1, max_value=10), st.randoms(use_true_random=False))
def test_a_place_in_the_queue_is_first_come_first_served(size: int, random: Random) -> None:
    # Pairs joined at the same minute; the booking id breaks the tie.
    ids = sorted(uuid4() for _ in range(size))
    queue = [
        waiting(a_resident(), index // 2, id=booking_id) for index, booking_id in enumerate(ids)
    ]
    shuffled = list(queue)
    random.shuffle(shuffled)

    assert [waitlist_position(booking, shuffled) for booking in queue] == list(range(1, size + 1))
    # A booking that left the queue (offered a bed) is no longer ahead of anyone.
    not_waiting = waiting(a_resident(), -1, state=BookingState.HELD)
    assert waitlist_position(queue[-1], [*shuffled, not_waiting]) == size


def test_only_a_waitlisted_booking_has_a_place() -> None:
    held = waiting(a_resident(), 0, state=BookingState.HELD)
    with pytest.raises(ValueError, match="waitlisted"):
        waitlist_position(held, [])
