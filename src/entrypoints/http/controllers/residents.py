from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from application.housing.commands import RegisterResidentCommand, ResidentPatch
from application.housing.residents import (
    DeleteResident,
    GetResident,
    ListResidents,
    RegisterResident,
    UpdateResident,
)
from application.housing.views import ResidentFilter, ResidentPage, ResidentView
from application.shared.paging import PageRequest
from domain.housing.model import ResidentStatus
from entrypoints.http.docs import described_by, problems


class ResidentController(Controller):
    path = "/api/residents"
    tags = ["Residents"]

    @post(
        "/",
        summary="Register a resident",
        description=described_by(RegisterResident),
        responses=problems(409, 422),
    )
    async def register(
        self,
        data: JSONBody[RegisterResidentCommand],
        register_resident: NamedDependency[RegisterResident],
    ) -> ResidentView:
        return await register_resident(data)

    @get(
        "/",
        summary="List residents",
        description=described_by(ListResidents),
        responses=problems(422),
    )
    async def list(
        self,
        list_residents: NamedDependency[ListResidents],
        page: NamedDependency[PageRequest],
        status: FromQuery[ResidentStatus | None] = None,
        department: FromQuery[str | None] = None,
        q: FromQuery[str | None] = None,
    ) -> ResidentPage:
        criteria = ResidentFilter(status=status, department=department, q=q)
        return await list_residents(criteria, page)

    @get(
        "/{resident_id:uuid}",
        summary="Read a resident",
        description=described_by(GetResident),
        responses=problems(404),
    )
    async def read(
        self, resident_id: FromPath[UUID], get_resident: NamedDependency[GetResident]
    ) -> ResidentView:
        return await get_resident(resident_id)

    @patch(
        "/{resident_id:uuid}",
        summary="Change a resident",
        description=described_by(UpdateResident),
        responses=problems(404, 409, 422),
    )
    async def update(
        self,
        resident_id: FromPath[UUID],
        data: JSONBody[ResidentPatch],
        update_resident: NamedDependency[UpdateResident],
    ) -> ResidentView:
        return await update_resident(resident_id, data)

    @delete(
        "/{resident_id:uuid}",
        summary="Delete a resident",
        description=described_by(DeleteResident),
        responses=problems(404),
    )
    async def remove(
        self, resident_id: FromPath[UUID], delete_resident: NamedDependency[DeleteResident]
    ) -> None:
        await delete_resident(resident_id)
