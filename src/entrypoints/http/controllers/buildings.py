from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from application.housing.buildings import (
    CreateBuilding,
    DeleteBuilding,
    GetBuilding,
    ListBuildings,
    UpdateBuilding,
)
from application.housing.commands import BuildingPatch, CreateBuildingCommand
from application.housing.rooms import ListRooms
from application.housing.views import (
    BuildingFilter,
    BuildingPage,
    BuildingView,
    RoomFilter,
    RoomPage,
)
from application.shared.paging import PageRequest
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class BuildingController(Controller):
    path = "/api/buildings"
    tags = ["Buildings"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Create a building",
        description=described_by(CreateBuilding),
        responses=problems(403, 409, 422),
    )
    async def create(
        self,
        data: JSONBody[CreateBuildingCommand],
        create_building: NamedDependency[CreateBuilding],
    ) -> BuildingView:
        return await create_building(data)

    @get(
        "/",
        summary="List buildings",
        description=described_by(ListBuildings),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_buildings: NamedDependency[ListBuildings],
        page: NamedDependency[PageRequest],
        active: FromQuery[bool | None] = None,
    ) -> BuildingPage:
        return await list_buildings(BuildingFilter(active=active), page)

    @get(
        "/{building_id:uuid}",
        summary="Read a building",
        description=described_by(GetBuilding),
        responses=problems(403, 404),
    )
    async def read(
        self, building_id: FromPath[UUID], get_building: NamedDependency[GetBuilding]
    ) -> BuildingView:
        return await get_building(building_id)

    @patch(
        "/{building_id:uuid}",
        summary="Change a building",
        description=described_by(UpdateBuilding),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        building_id: FromPath[UUID],
        data: JSONBody[BuildingPatch],
        update_building: NamedDependency[UpdateBuilding],
    ) -> BuildingView:
        return await update_building(building_id, data)

    @delete(
        "/{building_id:uuid}",
        summary="Delete a building",
        description=described_by(DeleteBuilding),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self, building_id: FromPath[UUID], delete_building: NamedDependency[DeleteBuilding]
    ) -> None:
        await delete_building(building_id)

    @get(
        "/{building_id:uuid}/rooms",
        summary="List a building's rooms",
        description=described_by(ListRooms),
        responses=problems(403, 404, 422),
    )
    async def rooms(
        self,
        building_id: FromPath[UUID],
        list_rooms: NamedDependency[ListRooms],
        page: NamedDependency[PageRequest],
        room_filter: NamedDependency[RoomFilter],
    ) -> RoomPage:
        return await list_rooms(msgspec.structs.replace(room_filter, building_id=building_id), page)
