from uuid import UUID

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from application.housing.commands import CreateRoomCommand, RoomPatch
from application.housing.rooms import CreateRoom, DeleteRoom, GetRoom, ListRooms, UpdateRoom
from application.housing.views import RoomFilter, RoomPage, RoomView
from application.shared.paging import PageRequest
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class RoomController(Controller):
    path = "/api/rooms"
    tags = ["Rooms"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Create a room with its beds",
        description=described_by(CreateRoom),
        responses=problems(403, 409, 422),
    )
    async def create(
        self, data: JSONBody[CreateRoomCommand], create_room: NamedDependency[CreateRoom]
    ) -> RoomView:
        return await create_room(data)

    @get(
        "/",
        summary="List rooms",
        description=described_by(ListRooms),
        responses=problems(403, 404, 422),
    )
    async def list(
        self,
        list_rooms: NamedDependency[ListRooms],
        page: NamedDependency[PageRequest],
        room_filter: NamedDependency[RoomFilter],
        building_id: FromQuery[UUID | None] = None,
    ) -> RoomPage:
        return await list_rooms(msgspec.structs.replace(room_filter, building_id=building_id), page)

    @get(
        "/{room_id:uuid}",
        summary="Read a room",
        description=described_by(GetRoom),
        responses=problems(403, 404),
    )
    async def read(self, room_id: FromPath[UUID], get_room: NamedDependency[GetRoom]) -> RoomView:
        return await get_room(room_id)

    @patch(
        "/{room_id:uuid}",
        summary="Change a room",
        description=described_by(UpdateRoom),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        room_id: FromPath[UUID],
        data: JSONBody[RoomPatch],
        update_room: NamedDependency[UpdateRoom],
    ) -> RoomView:
        return await update_room(room_id, data)

    @delete(
        "/{room_id:uuid}",
        summary="Delete a room and its beds",
        description=described_by(DeleteRoom),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self, room_id: FromPath[UUID], delete_room: NamedDependency[DeleteRoom]
    ) -> None:
        await delete_room(room_id)
