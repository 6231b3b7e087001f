"""Rooms: CreateRoom, UpdateRoom, DeleteRoom, GetRoom, ListRooms."""

from decimal import Decimal
from typing import Self
from uuid import uuid4

import pytest

from application.housing.commands import RoomPatch
from application.housing.views import RoomFilter
from application.shared.paging import PageRequest
from domain.housing.errors import RoomNumberTaken
from domain.housing.model import Bed, RoomStatus, RoomType
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.fakes import InMemoryHousingUnitOfWork
from tests.unit.application.kit import Housing, rate


async def labels(housing: Housing, room_id: object) -> list[str]:
    return [bed.label for bed in await housing.list_beds(room_id)]  # type: ignore[arg-type]


async def test_create_normalises_and_reads_back(housing: Housing) -> None:
    building = await housing.building(code="nh")

    room = await housing.room(
        building,
        number=" 204a ",
        floor=2,
        nightly_rate=rate("42.5", "eur"),
        features=["Sink", "sink", " Desk "],
        accessible=True,
    )

    assert (room.number, room.floor, room.building_code) == ("204A", 2, "NH")
    assert (room.nightly_rate.amount, room.nightly_rate.currency) == (Decimal("42.50"), "EUR")
    assert room.features == ["sink", "desk"]
    assert room.accessible
    assert room.status is RoomStatus.ACTIVE
    assert await housing.get_room(room.id) == room


@pytest.mark.parametrize(
    ("room_type", "expected"),
    [
        (RoomType.SINGLE, ["A"]),
        (RoomType.DOUBLE, ["A", "B"]),
        (RoomType.TRIPLE, ["A", "B", "C"]),
        (RoomType.QUAD, ["A", "B", "C", "D"]),
        (RoomType.STUDIO, ["A"]),
        (RoomType.SUITE, ["A", "B", "C", "D"]),
    ],
)
async def test_beds_follow_the_room_type(
    housing: Housing, room_type: RoomType, expected: list[str]
) -> None:
    room = await housing.room(await housing.building(), type=room_type)

    assert await labels(housing, room.id) == expected
    assert room.capacity == len(expected)


@pytest.mark.parametrize("beds", [0, 1, 3, 12])
async def test_beds_override_the_type(housing: Housing, beds: int) -> None:
    room = await housing.room(await housing.building(), type=RoomType.DOUBLE, beds=beds)

    assert room.capacity == beds
    assert len(await housing.list_beds(room.id)) == beds


@pytest.mark.parametrize("beds", [-1, 13])
async def test_beds_outside_zero_to_twelve_are_refused(housing: Housing, beds: int) -> None:
    building = await housing.building()

    with pytest.raises(InvalidValue) as raised:
        await housing.room(building, beds=beds)

    assert raised.value.field == "beds"
    assert housing.counts()["rooms"] == 0


async def test_number_is_unique_within_a_building(housing: Housing) -> None:
    building = await housing.building()
    await housing.room(building, number="101")

    with pytest.raises(RoomNumberTaken) as raised:
        await housing.room(building, number=" 101 ", type=RoomType.SUITE)

    assert isinstance(raised.value, Conflict)
    assert raised.value.field == "number"
    assert housing.counts() == {
        "buildings": 1,
        "rooms": 1,
        "beds": 2,
        "residents": 0,
        "terms": 0,
    }


async def test_number_may_repeat_in_another_building(housing: Housing) -> None:
    north = await housing.building(code="NH")
    south = await housing.building(code="SH")

    first = await housing.room(north, number="101")
    second = await housing.room(south, number="101")

    assert (first.building_code, second.building_code) == ("NH", "SH")


@pytest.mark.parametrize("floor", [0, 6, -1])
async def test_floor_must_lie_within_the_building(housing: Housing, floor: int) -> None:
    building = await housing.building(floors=5)

    with pytest.raises(InvalidValue) as raised:
        await housing.room(building, floor=floor)

    assert raised.value.field == "floor"
    assert housing.counts()["rooms"] == 0


async def test_top_floor_is_allowed(housing: Housing) -> None:
    room = await housing.room(await housing.building(floors=5), floor=5)

    assert room.floor == 5


async def test_unknown_building_is_an_invalid_building_id(housing: Housing) -> None:
    building = await housing.building()

    with pytest.raises(InvalidValue) as raised:
        await housing.room(building, building_id=uuid4())

    assert raised.value.field == "building_id"


@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [
        ("42.505", "EUR", "nightly_rate.amount"),
        ("-1.00", "EUR", "nightly_rate.amount"),
        ("NaN", "EUR", "nightly_rate.amount"),
        ("42.50", "EURO", "nightly_rate.currency"),
        ("42.50", "E1R", "nightly_rate.currency"),
    ],
)
async def test_nightly_rate_is_checked(
    housing: Housing, amount: str, currency: str, field: str
) -> None:
    building = await housing.building()

    with pytest.raises(InvalidValue) as raised:
        await housing.room(building, nightly_rate=rate(amount, currency))

    assert raised.value.field == field
    assert housing.counts()["rooms"] == 0


async def test_a_create_that_fails_after_writing_leaves_nothing(housing: Housing) -> None:
    class SecondBedFails(InMemoryHousingUnitOfWork):
        async def __aenter__(self) -> Self:
            await super().__aenter__()
            add_bed = self.rooms.add_bed
            added: list[Bed] = []

            async def failing_add_bed(bed: Bed) -> None:
                if added:
                    raise RuntimeError("storage went away")
                added.append(bed)
                await add_bed(bed)

            self.rooms.add_bed = failing_add_bed  # type: ignore[method-assign]
            return self

    failing = Housing(uow=lambda: SecondBedFails(failing.store))
    building = await failing.building()

    with pytest.raises(RuntimeError):
        await failing.room(building, type=RoomType.QUAD)

    assert failing.counts() == {
        "buildings": 1,
        "rooms": 0,
        "beds": 0,
        "residents": 0,
        "terms": 0,
    }


async def test_update_changes_only_the_given_fields(housing: Housing) -> None:
    room = await housing.room(await housing.building(), features=["sink"])

    updated = await housing.update_room(room.id, RoomPatch(accessible=True))

    assert updated.accessible
    kept = ["number", "floor", "type", "nightly_rate", "features", "status", "capacity"]
    assert [getattr(updated, f) for f in kept] == [getattr(room, f) for f in kept]


async def test_update_normalises_every_given_field(housing: Housing) -> None:
    room = await housing.room(await housing.building())

    updated = await housing.update_room(
        room.id,
        RoomPatch(
            number="102b",
            floor=3,
            nightly_rate=rate("50", "gbp"),
            features=["Desk", "desk"],
            status=RoomStatus.CLOSED,
        ),
    )

    assert (updated.number, updated.floor, updated.features) == ("102B", 3, ["desk"])
    assert (updated.nightly_rate.amount, updated.nightly_rate.currency) == (Decimal("50.00"), "GBP")
    assert updated.status is RoomStatus.CLOSED


async def test_closing_a_room_or_changing_its_type_keeps_its_beds(housing: Housing) -> None:
    room = await housing.room(await housing.building(), type=RoomType.DOUBLE)

    updated = await housing.update_room(
        room.id, RoomPatch(type=RoomType.SUITE, status=RoomStatus.CLOSED)
    )

    assert updated.type is RoomType.SUITE
    assert await labels(housing, room.id) == ["A", "B"]
    assert updated.capacity == 2


@pytest.mark.parametrize("floor", [0, 6])
async def test_update_checks_the_floor_against_the_building(housing: Housing, floor: int) -> None:
    room = await housing.room(await housing.building(floors=5), floor=2)

    with pytest.raises(InvalidValue) as raised:
        await housing.update_room(room.id, RoomPatch(floor=floor, accessible=True))

    assert raised.value.field == "floor"
    unchanged = await housing.get_room(room.id)
    assert (unchanged.floor, unchanged.accessible) == (2, False)


async def test_update_refuses_a_number_taken_in_the_building(housing: Housing) -> None:
    building = await housing.building()
    await housing.room(building, number="101")
    other = await housing.room(building, number="102")

    with pytest.raises(RoomNumberTaken):
        await housing.update_room(other.id, RoomPatch(number="101"))

    assert (await housing.get_room(other.id)).number == "102"


async def test_update_accepts_the_rooms_own_number_and_one_used_elsewhere(
    housing: Housing,
) -> None:
    north = await housing.building(code="NH")
    south = await housing.building(code="SH")
    await housing.room(south, number="201")
    room = await housing.room(north, number="101")

    assert (await housing.update_room(room.id, RoomPatch(number="101"))).number == "101"
    assert (await housing.update_room(room.id, RoomPatch(number="201"))).number == "201"


async def test_update_checks_the_nightly_rate(housing: Housing) -> None:
    room = await housing.room(await housing.building())

    with pytest.raises(InvalidValue) as raised:
        await housing.update_room(room.id, RoomPatch(nightly_rate=rate("1.001")))

    assert raised.value.field == "nightly_rate.amount"


async def test_update_of_an_unknown_room_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.update_room(uuid4(), RoomPatch(accessible=True))


async def test_delete_removes_the_room_and_its_beds(housing: Housing) -> None:
    building = await housing.building()
    kept = await housing.room(building, number="101", type=RoomType.SINGLE)
    room = await housing.room(building, number="102", type=RoomType.QUAD)

    await housing.delete_room(room.id)

    assert housing.counts()["rooms"] == 1
    assert housing.counts()["beds"] == 1
    assert await labels(housing, kept.id) == ["A"]
    with pytest.raises(NotFound):
        await housing.get_room(room.id)
    with pytest.raises(NotFound):
        await housing.delete_room(room.id)


async def test_list_orders_by_building_then_number_and_combines_filters(
    housing: Housing,
) -> None:
    north = await housing.building(code="NH")
    east = await housing.building(code="EH")
    await housing.room(north, number="201", floor=2, accessible=True)
    await housing.room(north, number="101", floor=1, accessible=True)
    await housing.room(east, number="301", floor=3, type=RoomType.SINGLE)
    await housing.room(north, number="102", floor=1, status=RoomStatus.CLOSED)

    everything = await housing.list_rooms(RoomFilter(), PageRequest())
    north_first_floor = await housing.list_rooms(
        RoomFilter(building_id=north.id, floor=1), PageRequest()
    )
    accessible_open = await housing.list_rooms(
        RoomFilter(accessible=True, status=RoomStatus.ACTIVE), PageRequest()
    )
    singles = await housing.list_rooms(RoomFilter(type=RoomType.SINGLE), PageRequest())

    assert [(r.building_code, r.number) for r in everything.items] == [
        ("EH", "301"),
        ("NH", "101"),
        ("NH", "102"),
        ("NH", "201"),
    ]
    assert [r.number for r in north_first_floor.items] == ["101", "102"]
    assert [r.number for r in accessible_open.items] == ["101", "201"]
    assert [r.number for r in singles.items] == ["301"]


async def test_listing_rooms_of_an_unknown_building_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.list_rooms(RoomFilter(building_id=uuid4()), PageRequest())
