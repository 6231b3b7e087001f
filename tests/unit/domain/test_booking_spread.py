"""choose_bed_for: the bed a booking takes when many are allocated at once. It keeps the
standing choose_bed gives (accessible rooms spared, partly occupied rooms first) and spreads
bookings over the beds of equal standing, so that racers rarely want the same bed."""

from collections.abc import Collection
from random import Random
from typing import NamedTuple
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.bookings.allocation import CandidateBed, ResidentFacts, choose_bed, choose_bed_for
from domain.bookings.model import BedPreferences
from tests.unit.domain.test_booking_allocation import (
    NO_PREFERENCE,
    a_bed,
    a_resident,
    bed_lists,
    preferences,
    residents,
)


class Choice(NamedTuple):
    """What one allocation chooses from: the free beds, who for, their wishes, the booking."""

    beds: list[CandidateBed]
    resident: ResidentFacts
    wishes: BedPreferences
    booking_id: UUID

    def of(
        self, beds: list[CandidateBed], lost: Collection[UUID] = frozenset()
    ) -> CandidateBed | None:
        return choose_bed_for(self.booking_id, beds, self.resident, self.wishes, lost)


choices = st.builds(Choice, bed_lists, residents, preferences, st.uuids())


def _standing(bed: CandidateBed, resident: ResidentFacts) -> tuple[bool, bool]:
    return (bed.accessible and not resident.needs_accessible_room, not bed.room_partly_occupied)


@given(choices)
def test_it_keeps_the_standing_of_the_best_bed(choice: Choice) -> None:
    spread = choice.of(choice.beds)
    best = choose_bed(choice.beds, choice.resident, choice.wishes)

    assert (spread is None) == (best is None)
    if spread is not None and best is not None:
        assert spread in choice.beds
        assert _standing(spread, choice.resident) == _standing(best, choice.resident)


@given(choices, st.data())
def test_lost_beds_are_never_chosen_again(choice: Choice, data: st.DataObject) -> None:
    ids = [bed.bed_id for bed in choice.beds]
    lost = data.draw(st.sets(st.sampled_from(ids))) if ids else set()
    rest = [bed for bed in choice.beds if bed.bed_id not in lost]

    chosen = choice.of(choice.beds, lost)

    assert chosen is None or chosen.bed_id not in lost
    assert chosen == choice.of(rest)


@given(choices, st.randoms(use_true_random=False))
def test_the_same_booking_always_draws_the_same_bed(choice: Choice, random: Random) -> None:
    shuffled = list(choice.beds)
    random.shuffle(shuffled)
    assert choice.of(shuffled) == choice.of(choice.beds)


@given(choices, st.data())
def test_a_bed_taken_by_someone_else_moves_only_who_had_drawn_it(
    choice: Choice, data: st.DataObject
) -> None:
    chosen = choice.of(choice.beds)
    others = [bed for bed in choice.beds if bed != chosen]
    if chosen is None or not others:
        return
    taken = data.draw(st.sampled_from(others))

    assert choice.of([bed for bed in choice.beds if bed != taken]) == chosen


def test_simultaneous_bookings_spread_over_equal_beds() -> None:
    beds = [
        a_bed(bed_id=UUID(int=1000 + n), room_number=f"{100 + n // 2}", bed_label="AB"[n % 2])
        for n in range(500)
    ]
    racers = [UUID(int=n) for n in range(50)]

    chosen = {choose_bed_for(racer, beds, a_resident(), NO_PREFERENCE) for racer in racers}

    # choose_bed sends all fifty to one bed; drawn at random, about 2.5 pairs would meet.
    assert choose_bed(beds, a_resident(), NO_PREFERENCE) == beds[0]
    assert len(chosen) >= 45
