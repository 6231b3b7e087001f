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
from domain.accounts.model import Principal, Role
from domain.housing.model import ResidentStatus
from entrypoints.http.access import (
    OFFICE,
    RESIDENT_EDITABLE_FIELDS,
    allowed,
    ensure_may_see_resident,
    ensure_resident_may_set,
)
from entrypoints.http.docs import described_by, problems

OWN_RECORD = (
    "The residence office reaches every resident; a resident reaches only their own record, "
    "and another resident's id answers 404."
)
RESIDENT_FIELDS = (
    "A resident may change only "
    + ", ".join(f"`{name}`" for name in sorted(RESIDENT_EDITABLE_FIELDS))
    + "; setting any other field answers 403 naming it."
)


class ResidentController(Controller):
    path = "/api/residents"
    tags = ["Residents"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Register a resident",
        description=described_by(RegisterResident),
        responses=problems(403, 409, 422),
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
        responses=problems(403, 422),
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
        description=f"{described_by(GetResident)}\n\n{OWN_RECORD}",
        responses=problems(403, 404),
        opt=allowed(*OFFICE, Role.RESIDENT),
    )
    async def read(
        self,
        resident_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        get_resident: NamedDependency[GetResident],
    ) -> ResidentView:
        ensure_may_see_resident(caller, resident_id)
        return await get_resident(resident_id)

    @patch(
        "/{resident_id:uuid}",
        summary="Change a resident",
        description=f"{described_by(UpdateResident)}\n\n{OWN_RECORD} {RESIDENT_FIELDS}",
        responses=problems(403, 404, 409, 422),
        opt=allowed(*OFFICE, Role.RESIDENT),
    )
    async def update(
        self,
        resident_id: FromPath[UUID],
        data: JSONBody[ResidentPatch],
        caller: NamedDependency[Principal],
        update_resident: NamedDependency[UpdateResident],
    ) -> ResidentView:
        ensure_may_see_resident(caller, resident_id)
        ensure_resident_may_set(caller, data)
        return await update_resident(resident_id, data)

    @delete(
        "/{resident_id:uuid}",
        summary="Delete a resident",
        description=described_by(DeleteResident),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self, resident_id: FromPath[UUID], delete_resident: NamedDependency[DeleteResident]
    ) -> None:
        await delete_resident(resident_id)
