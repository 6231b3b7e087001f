"""Beds: AddBed, UpdateBed, RemoveBed, GetBed, ListBeds. Capacity is the count of active beds."""

from uuid import UUID, uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.housing.commands import AddBedCommand, BedPatch
from application.housing.views import RoomView
from domain.housing.errors import BedLabelTaken
from domain.housing.model import RoomType
from domain.housing.rules import MAX_BEDS_PER_ROOM
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.application.kit import Housing


async def a_room(housing: Housing, **overrides: object) -> RoomView:
    return await housing.room(await housing.building(), **overrides)


async def labels(housing: Housing, room_id: UUID) -> list[str]:
    return [bed.label for bed in await housing.list_beds(room_id)]


async def capacity(housing: Housing, room_id: UUID) -> int:
    return (await housing.get_room(room_id)).capacity


async def test_add_without_a_label_takes_the_first_free_one(housing: Housing) -> None:
    room = await a_room(housing, type=RoomType.TRIPLE)
    bed_b = (await housing.list_beds(room.id))[1]
    await housing.remove_bed(room.id, bed_b.id)

    refilled = await housing.add_bed(room.id, AddBedCommand())
    appended = await housing.add_bed(room.id, AddBedCommand())

    assert (refilled.label, appended.label) == ("B", "D")
    assert await labels(housing, room.id) == ["A", "B", "C", "D"]
    assert await capacity(housing, room.id) == 4


async def test_add_with_a_label_normalises_it(housing: Housing) -> None:
    room = await a_room(housing, beds=0)

    bed = await housing.add_bed(room.id, AddBedCommand(label=" w1 ", active=False))

    assert (bed.label, bed.active, bed.room_id) == ("W1", False, room.id)
    assert await housing.get_bed(room.id, bed.id) == bed
    assert await capacity(housing, room.id) == 0


async def test_add_refuses_a_label_the_room_uses(housing: Housing) -> None:
    room = await a_room(housing, type=RoomType.DOUBLE)

    with pytest.raises(BedLabelTaken) as raised:
        await housing.add_bed(room.id, AddBedCommand(label="b"))

    assert raised.value.field == "label"
    assert await labels(housing, room.id) == ["A", "B"]


async def test_labels_may_repeat_across_rooms(housing: Housing) -> None:
    building = await housing.building()
    first = await housing.room(building, number="101", beds=0)
    second = await housing.room(building, number="102", beds=0)

    await housing.add_bed(first.id, AddBedCommand(label="A"))
    await housing.add_bed(second.id, AddBedCommand(label="A"))

    assert await labels(housing, first.id) == await labels(housing, second.id) == ["A"]


async def test_a_room_holds_at_most_twelve_beds(housing: Housing) -> None:
    room = await a_room(housing, beds=MAX_BEDS_PER_ROOM - 1)
    await housing.add_bed(room.id, AddBedCommand(active=False))

    with pytest.raises(Conflict) as raised:
        await housing.add_bed(room.id, AddBedCommand())

    assert not isinstance(raised.value, BedLabelTaken)
    assert len(await labels(housing, room.id)) == MAX_BEDS_PER_ROOM


@pytest.mark.parametrize("label", ["", "A B", "A-1", "ABCDEFGHI"])
async def test_add_refuses_a_malformed_label(housing: Housing, label: str) -> None:
    room = await a_room(housing, beds=0)

    with pytest.raises(InvalidValue) as raised:
        await housing.add_bed(room.id, AddBedCommand(label=label))

    assert raised.value.field == "label"


async def test_add_to_an_unknown_room_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.add_bed(uuid4(), AddBedCommand())


async def test_taking_a_bed_out_of_service_lowers_capacity(housing: Housing) -> None:
    room = await a_room(housing, type=RoomType.DOUBLE)
    bed = (await housing.list_beds(room.id))[0]

    updated = await housing.update_bed(room.id, bed.id, BedPatch(active=False))

    assert (updated.active, updated.label) == (False, "A")
    assert await capacity(housing, room.id) == 1
    await housing.update_bed(room.id, bed.id, BedPatch(active=True))
    assert await capacity(housing, room.id) == 2


async def test_relabel_normalises_and_refuses_a_taken_label(housing: Housing) -> None:
    room = await a_room(housing, type=RoomType.DOUBLE)
    bed_a, _ = await housing.list_beds(room.id)

    assert (await housing.update_bed(room.id, bed_a.id, BedPatch(label="a"))).label == "A"
    assert (await housing.update_bed(room.id, bed_a.id, BedPatch(label=" z "))).label == "Z"
    with pytest.raises(BedLabelTaken):
        await housing.update_bed(room.id, bed_a.id, BedPatch(label="b", active=False))

    unchanged = await housing.get_bed(room.id, bed_a.id)
    assert (unchanged.label, unchanged.active) == ("Z", True)
    assert await labels(housing, room.id) == ["B", "Z"]


async def test_a_bed_is_only_reached_through_its_own_room(housing: Housing) -> None:
    building = await housing.building()
    first = await housing.room(building, number="101")
    second = await housing.room(building, number="102")
    bed = (await housing.list_beds(first.id))[0]

    with pytest.raises(NotFound):
        await housing.update_bed(second.id, bed.id, BedPatch(active=False))
    with pytest.raises(NotFound):
        await housing.remove_bed(second.id, bed.id)
    with pytest.raises(NotFound):
        await housing.get_bed(second.id, bed.id)
    assert (await housing.get_bed(first.id, bed.id)).active


async def test_unknown_room_or_bed_is_not_found(housing: Housing) -> None:
    room = await a_room(housing)

    with pytest.raises(NotFound):
        await housing.list_beds(uuid4())
    with pytest.raises(NotFound):
        await housing.get_bed(uuid4(), uuid4())
    with pytest.raises(NotFound):
        await housing.remove_bed(room.id, uuid4())
    with pytest.raises(NotFound):
        await housing.update_bed(room.id, uuid4(), BedPatch(active=False))


async def test_remove_deletes_only_that_bed(housing: Housing) -> None:
    room = await a_room(housing, type=RoomType.TRIPLE)
    bed_b = (await housing.list_beds(room.id))[1]

    await housing.remove_bed(room.id, bed_b.id)

    assert await labels(housing, room.id) == ["A", "C"]
    assert await capacity(housing, room.id) == 2


bed_operations = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.none()),
        st.tuples(st.just("add"), st.sampled_from(["A", "B", "C", "d", "E1"])),
        st.tuples(st.just("remove"), st.integers(min_value=0, max_value=MAX_BEDS_PER_ROOM)),
        st.tuples(st.just("toggle"), st.integers(min_value=0, max_value=MAX_BEDS_PER_ROOM)),
        st.tuples(st.just("relabel"), st.sampled_from(["A", "B", "c", "Q"])),
    ),
    max_size=25,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(initial_beds=st.integers(min_value=0, max_value=4), operations=bed_operations)
async def test_any_sequence_keeps_labels_unique_and_capacity_equal_to_active_beds(
    initial_beds: int, operations: list[tuple[str, object]]
) -> None:
    housing = Housing()
    room = await a_room(housing, beds=initial_beds)
    # The expected state: label -> active, kept alongside the use cases.
    expected = {label: True for label in "ABCD"[:initial_beds]}

    for action, argument in operations:
        beds = await housing.list_beds(room.id)
        if action == "add":
            label = None if argument is None else str(argument).upper()
            try:
                added = await housing.add_bed(room.id, AddBedCommand(label=label))
            except Conflict:
                assert len(expected) == MAX_BEDS_PER_ROOM or label in expected
                continue
            assert added.label not in expected
            expected[added.label] = True
        elif not beds:
            continue
        elif action == "remove":
            bed = beds[int(str(argument)) % len(beds)]
            await housing.remove_bed(room.id, bed.id)
            del expected[bed.label]
        elif action == "toggle":
            bed = beds[int(str(argument)) % len(beds)]
            await housing.update_bed(room.id, bed.id, BedPatch(active=not bed.active))
            expected[bed.label] = not bed.active
        else:
            bed, label = beds[0], str(argument).upper()
            try:
                await housing.update_bed(room.id, bed.id, BedPatch(label=label))
            except BedLabelTaken:
                assert label in expected
                assert label != bed.label
                continue
            expected[label] = expected.pop(bed.label)

        current = await housing.list_beds(room.id)
        current_labels = [bed.label for bed in current]
        assert len(current_labels) == len(set(current_labels)) <= MAX_BEDS_PER_ROOM
        assert {bed.label: bed.active for bed in current} == expected
        assert await capacity(housing, room.id) == sum(expected.values())
