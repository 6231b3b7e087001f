"""Buildings: CreateBuilding, UpdateBuilding, DeleteBuilding, GetBuilding, ListBuildings."""

from datetime import timedelta
from uuid import uuid4

import pytest

from application.housing.commands import BuildingPatch
from application.housing.views import BuildingFilter
from application.shared.paging import PageRequest
from domain.housing.errors import BuildingCodeTaken, BuildingHasRooms, FloorsBelowRooms
from domain.housing.model import GenderPolicy
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.application.kit import Housing


async def test_create_normalises_and_reads_back(housing: Housing) -> None:
    created = await housing.building(
        code=" nh-2 ",
        name="  North   Hall ",
        amenities=["Laundry", " laundry ", "Bike  Storage"],
        gender_policy=GenderPolicy.FEMALE,
    )

    assert created.code == "NH-2"
    assert created.name == "North Hall"
    assert created.amenities == ["laundry", "bike storage"]
    assert created.gender_policy is GenderPolicy.FEMALE
    assert created.active
    assert created.created_at == housing.clock.now()
    assert await housing.get_building(created.id) == created


async def test_code_is_unique_whatever_its_case(housing: Housing) -> None:
    await housing.building(code="NH")

    with pytest.raises(BuildingCodeTaken) as raised:
        await housing.building(code=" nh ", name="Another Hall")

    assert isinstance(raised.value, Conflict)
    assert raised.value.field == "code"
    assert housing.counts()["buildings"] == 1


@pytest.mark.parametrize("floors", [0, -1, 201])
async def test_floors_must_be_one_to_two_hundred(housing: Housing, floors: int) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.building(floors=floors)

    assert raised.value.field == "floors"
    assert housing.counts()["buildings"] == 0


@pytest.mark.parametrize(("field", "value"), [("name", "  "), ("address", ""), ("code", "N H")])
async def test_blank_or_malformed_fields_are_named(
    housing: Housing, field: str, value: str
) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.building(**{field: value})

    assert raised.value.field == field


async def test_update_changes_only_the_given_fields(housing: Housing) -> None:
    created = await housing.building(amenities=["gym"])
    housing.clock.advance(timedelta(minutes=5))

    updated = await housing.update_building(created.id, BuildingPatch(name="North Hall East"))

    assert updated.name == "North Hall East"
    unchanged = {"code", "address", "floors", "gender_policy", "amenities", "active", "created_at"}
    assert {f: getattr(updated, f) for f in unchanged} == {
        f: getattr(created, f) for f in unchanged
    }
    assert updated.updated_at > created.updated_at


async def test_update_normalises_every_given_field(housing: Housing) -> None:
    created = await housing.building()

    updated = await housing.update_building(
        created.id,
        BuildingPatch(
            code="nh-e",
            address=" 2  College Road ",
            floors=7,
            gender_policy=GenderPolicy.MALE,
            amenities=["Gym", "gym"],
            active=False,
        ),
    )

    assert (updated.code, updated.address, updated.floors) == ("NH-E", "2 College Road", 7)
    assert (updated.gender_policy, updated.amenities, updated.active) == (
        GenderPolicy.MALE,
        ["gym"],
        False,
    )


async def test_update_refuses_another_buildings_code(housing: Housing) -> None:
    await housing.building(code="NH")
    south = await housing.building(code="SH", name="South Hall")

    with pytest.raises(BuildingCodeTaken) as raised:
        await housing.update_building(south.id, BuildingPatch(code="nh"))

    assert raised.value.field == "code"
    assert (await housing.get_building(south.id)).code == "SH"


async def test_update_accepts_the_buildings_own_code(housing: Housing) -> None:
    created = await housing.building(code="NH")

    updated = await housing.update_building(created.id, BuildingPatch(code=" nh "))

    assert updated.code == "NH"


async def test_floors_cannot_drop_below_the_highest_room(housing: Housing) -> None:
    building = await housing.building(floors=5)
    await housing.room(building, number="401", floor=4)

    with pytest.raises(FloorsBelowRooms) as raised:
        await housing.update_building(building.id, BuildingPatch(floors=3, name="Renamed"))

    assert raised.value.field == "floors"
    unchanged = await housing.get_building(building.id)
    assert (unchanged.floors, unchanged.name) == (5, "North Hall")


async def test_floors_may_drop_to_the_highest_room(housing: Housing) -> None:
    building = await housing.building(floors=5)
    await housing.room(building, number="401", floor=4)

    updated = await housing.update_building(building.id, BuildingPatch(floors=4))

    assert updated.floors == 4


async def test_floors_of_an_empty_building_may_drop_to_one(housing: Housing) -> None:
    building = await housing.building(floors=5)

    assert (await housing.update_building(building.id, BuildingPatch(floors=1))).floors == 1


async def test_update_of_an_unknown_building_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.update_building(uuid4(), BuildingPatch(name="Nowhere"))


async def test_delete_is_refused_while_rooms_exist(housing: Housing) -> None:
    building = await housing.building()
    room = await housing.room(building)

    with pytest.raises(BuildingHasRooms):
        await housing.delete_building(building.id)
    assert housing.counts()["buildings"] == 1

    await housing.delete_room(room.id)
    await housing.delete_building(building.id)

    with pytest.raises(NotFound):
        await housing.get_building(building.id)


async def test_delete_of_an_unknown_building_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.delete_building(uuid4())


async def test_list_is_ordered_by_code_and_filters_on_active(housing: Housing) -> None:
    await housing.building(code="SH", name="South Hall")
    await housing.building(code="EH", name="East Hall", active=False)
    await housing.building(code="NH")

    everything = await housing.list_buildings(BuildingFilter(), PageRequest())
    active = await housing.list_buildings(BuildingFilter(active=True), PageRequest())
    second_page = await housing.list_buildings(BuildingFilter(), PageRequest(limit=1, offset=1))

    assert [b.code for b in everything.items] == ["EH", "NH", "SH"]
    assert [b.code for b in active.items] == ["NH", "SH"]
    assert (active.total, [b.code for b in second_page.items], second_page.total) == (
        2,
        ["NH"],
        3,
    )
