from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from application.housing.beds import AddBed, GetBed, ListBeds, RemoveBed, UpdateBed
from application.housing.commands import AddBedCommand, BedPatch
from application.housing.views import BedView
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class BedController(Controller):
    path = "/api/rooms/{room_id:uuid}/beds"
    tags = ["Rooms"]
    opt = allowed(*OFFICE)

    @get(
        "/",
        summary="List a room's beds",
        description=described_by(ListBeds),
        responses=problems(403, 404),
    )
    async def list(
        self, room_id: FromPath[UUID], list_beds: NamedDependency[ListBeds]
    ) -> list[BedView]:
        return await list_beds(room_id)

    @post(
        "/",
        summary="Add a bed to a room",
        description=described_by(AddBed),
        responses=problems(403, 404, 409, 422),
    )
    async def add(
        self,
        room_id: FromPath[UUID],
        data: JSONBody[AddBedCommand],
        add_bed: NamedDependency[AddBed],
    ) -> BedView:
        return await add_bed(room_id, data)

    @get(
        "/{bed_id:uuid}",
        summary="Read a bed",
        description=described_by(GetBed),
        responses=problems(403, 404),
    )
    async def read(
        self, room_id: FromPath[UUID], bed_id: FromPath[UUID], get_bed: NamedDependency[GetBed]
    ) -> BedView:
        return await get_bed(room_id, bed_id)

    @patch(
        "/{bed_id:uuid}",
        summary="Relabel a bed or take it in or out of service",
        description=described_by(UpdateBed),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        room_id: FromPath[UUID],
        bed_id: FromPath[UUID],
        data: JSONBody[BedPatch],
        update_bed: NamedDependency[UpdateBed],
    ) -> BedView:
        return await update_bed(room_id, bed_id, data)

    @delete(
        "/{bed_id:uuid}",
        summary="Remove a bed",
        description=described_by(RemoveBed),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self,
        room_id: FromPath[UUID],
        bed_id: FromPath[UUID],
        remove_bed: NamedDependency[RemoveBed],
    ) -> None:
        await remove_bed(room_id, bed_id)
