"""Pure rules of closures: which beds one covers, when it closes them, whom it affects; and
the occupancy percentage."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.bookings.closures import (
    MAX_CLOSURE_DAYS,
    BedPlace,
    BookedBed,
    Closure,
    ClosureTarget,
    affected,
    closed_for,
    closes,
    covers,
    new_closure,
)
from domain.bookings.model import ACTIVE_STATES, BookingState
from domain.bookings.occupancy import OccupancyCount, occupancy_percent
from domain.housing.model import RoomType
from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue

NOW = datetime(2026, 9, 1, tzinfo=UTC)
DAY0 = date(2026, 9, 1)
# Two buildings, two rooms each, two beds a room: small enough that targets collide often.
BUILDINGS = [UUID(int=100 + n) for n in range(2)]
ROOMS = [UUID(int=200 + n) for n in range(4)]
PLACES = [BedPlace(UUID(int=300 + n), ROOMS[n // 2], BUILDINGS[n // 4]) for n in range(8)]

ranges = st.tuples(st.integers(0, 60), st.integers(1, 60)).map(
    lambda start_nights: DateRange(
        DAY0 + timedelta(days=start_nights[0]),
        DAY0 + timedelta(days=start_nights[0] + start_nights[1]),
    )
)
targets = st.sampled_from(
    [(ClosureTarget.BED, p.bed_id) for p in PLACES]
    + [(ClosureTarget.ROOM, room) for room in ROOMS]
    + [(ClosureTarget.BUILDING, building) for building in BUILDINGS]
)
closures = st.builds(
    lambda target, dates: Closure(target[0], target[1], dates, "repair", NOW), targets, ranges
)


def _ancestors(place: BedPlace) -> set[UUID]:
    return {place.bed_id, place.room_id, place.building_id}


@given(closures, st.sampled_from(PLACES))
def test_a_closure_covers_exactly_the_beds_under_its_target(
    closure: Closure, place: BedPlace
) -> None:
    # A bed is covered when the target is the bed itself or one of what contains it.
    assert covers(closure, place) == (closure.target_id in _ancestors(place))


@given(closures, st.sampled_from(PLACES), ranges)
def test_a_closure_closes_a_covered_bed_for_a_stay_it_overlaps(
    closure: Closure, place: BedPlace, stay: DateRange
) -> None:
    shares_a_night = bool(
        set(_nights(closure.dates)) & set(_nights(stay))
    )  # half-open: back-to-back shares none
    assert closes(closure, place, stay) == (covers(closure, place) and shares_a_night)


def _nights(dates: DateRange) -> list[date]:
    return [dates.start + timedelta(days=n) for n in range(dates.nights)]


@given(st.lists(closures, max_size=4), st.sampled_from(PLACES), ranges)
def test_a_bed_is_closed_for_a_stay_when_any_closure_closes_it(
    found: list[Closure], place: BedPlace, stay: DateRange
) -> None:
    assert closed_for(found, place, stay) == any(closes(c, place, stay) for c in found)


booked = st.builds(
    BookedBed,
    booking_id=st.uuids(),
    resident_id=st.uuids(),
    state=st.sampled_from(BookingState),
    stay=ranges,
    place=st.sampled_from(PLACES),
)


@given(closures, st.lists(booked, max_size=8))
def test_a_closure_affects_the_active_bookings_it_closes_in_stay_order(
    closure: Closure, bookings: list[BookedBed]
) -> None:
    met = affected(closure, bookings)

    expected = {
        b.booking_id
        for b in bookings
        if b.state in ACTIVE_STATES and closes(closure, b.place, b.stay)
    }
    assert {b.booking_id for b in met} == expected
    assert [b.stay.start for b in met] == sorted(b.stay.start for b in met)


def test_a_new_closure_checks_its_reason_and_length() -> None:
    dates = DateRange(DAY0, DAY0 + timedelta(days=MAX_CLOSURE_DAYS))
    assert new_closure(ClosureTarget.ROOM, uuid4(), dates, "  paint ", NOW).reason == "paint"

    with pytest.raises(InvalidValue) as blank:
        new_closure(ClosureTarget.ROOM, uuid4(), dates, "   ", NOW)
    too_long = DateRange(DAY0, DAY0 + timedelta(days=MAX_CLOSURE_DAYS + 1))
    with pytest.raises(InvalidValue) as long:
        new_closure(ClosureTarget.ROOM, uuid4(), too_long, "paint", NOW)
    assert (blank.value.field, long.value.field) == ("reason", "ends_on")


@given(st.integers(0, 500), st.integers(0, 500))
def test_occupancy_percent_is_occupied_over_usable_to_one_place(occupied: int, extra: int) -> None:
    usable = occupied + extra
    percent = occupancy_percent(occupied, usable)

    if usable == 0:
        assert percent is None
        return
    assert percent is not None
    assert percent == percent.quantize(Decimal("0.1"))
    assert abs(percent - Decimal(100 * occupied) / usable) <= Decimal("0.05")
    assert Decimal(0) <= percent <= Decimal(100)


@given(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20), st.integers(0, 20))
def test_the_categories_of_beds_add_up(occupied: int, held: int, closed: int, free: int) -> None:
    beds = occupied + held + closed + free
    count = OccupancyCount(uuid4(), "NH", RoomType.DOUBLE, beds, occupied, held, closed)

    assert count.free == free
    assert count.percent == occupancy_percent(occupied, beds - closed)
    with pytest.raises(ValueError, match="add up"):
        OccupancyCount(uuid4(), "NH", RoomType.DOUBLE, beds - 1, occupied, held, closed + free + 1)
