"""Use cases for buildings."""

from uuid import UUID

from msgspec import UNSET

from application.housing.commands import BuildingPatch, CreateBuildingCommand
from application.housing.ports import HousingQueries, HousingUnitOfWorkFactory
from application.housing.views import BuildingFilter, BuildingPage, BuildingView
from application.shared.paging import PageRequest
from domain.housing.errors import BuildingCodeTaken, BuildingHasRooms, FloorsBelowRooms
from domain.housing.model import Building
from domain.housing.rules import (
    check_floor_count,
    normalise_building_code,
    normalise_tags,
    required_text,
)
from domain.shared.errors import NotFound


async def _view(queries: HousingQueries, building_id: UUID) -> BuildingView:
    view = await queries.building(building_id)
    if view is None:
        raise NotFound("building", building_id)
    return view


class CreateBuilding:
    """Adds a building to the inventory.

    - `code` is upper-cased and unique across buildings (409 when taken).
    - `floors` is between 1 and 200; rooms are later placed on floors 1..floors.
    - amenities are trimmed, lower-cased and de-duplicated.
    """

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, command: CreateBuildingCommand) -> BuildingView:
        building = Building(
            code=normalise_building_code(command.code),
            name=required_text(command.name, "name"),
            address=required_text(command.address, "address", 300),
            floors=check_floor_count(command.floors),
            gender_policy=command.gender_policy,
            amenities=normalise_tags(command.amenities, "amenities"),
            active=command.active,
        )
        async with self._uow() as uow:
            if await uow.buildings.get_by_code(building.code):
                raise BuildingCodeTaken(building.code)
            await uow.buildings.add(building)
            await uow.commit()
        return await _view(self._queries, building.id)


class UpdateBuilding:
    """Changes some fields of a building; fields left out keep their value.

    - a new `code` must be unique (409 when taken).
    - `floors` cannot drop below the highest floor that has a room (409).
    """

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, building_id: UUID, patch: BuildingPatch) -> BuildingView:
        async with self._uow() as uow:
            building = await uow.buildings.get(building_id)
            if building is None:
                raise NotFound("building", building_id)
            if patch.code is not UNSET:
                code = normalise_building_code(patch.code)
                other = await uow.buildings.get_by_code(code)
                if other and other.id != building.id:
                    raise BuildingCodeTaken(code)
                building.code = code
            if patch.name is not UNSET:
                building.name = required_text(patch.name, "name")
            if patch.address is not UNSET:
                building.address = required_text(patch.address, "address", 300)
            if patch.floors is not UNSET:
                floors = check_floor_count(patch.floors)
                highest = await uow.buildings.highest_room_floor(building.id)
                if highest is not None and highest > floors:
                    raise FloorsBelowRooms(floors, highest)
                building.floors = floors
            if patch.gender_policy is not UNSET:
                building.gender_policy = patch.gender_policy
            if patch.amenities is not UNSET:
                building.amenities = normalise_tags(patch.amenities, "amenities")
            if patch.active is not UNSET:
                building.active = patch.active
            await uow.buildings.update(building)
            await uow.commit()
        return await _view(self._queries, building_id)


class DeleteBuilding:
    """Removes a building. A building that still has rooms is refused (409)."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, building_id: UUID) -> None:
        async with self._uow() as uow:
            building = await uow.buildings.get(building_id)
            if building is None:
                raise NotFound("building", building_id)
            rooms = await uow.buildings.count_rooms(building_id)
            if rooms:
                raise BuildingHasRooms(building.code, rooms)
            await uow.buildings.delete(building_id)
            await uow.commit()


class GetBuilding:
    """Reads one building."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, building_id: UUID) -> BuildingView:
        return await _view(self._queries, building_id)


class ListBuildings:
    """Lists buildings ordered by code, optionally only active or inactive ones."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: BuildingFilter, page: PageRequest) -> BuildingPage:
        return await self._queries.buildings(criteria, page)
