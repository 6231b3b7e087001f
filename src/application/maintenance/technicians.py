"""Technician profiles, and each technician's queue of open work."""

from dataclasses import replace
from uuid import UUID

from msgspec import UNSET

from application.maintenance.commands import CreateTechnicianCommand, TechnicianPatch
from application.maintenance.ports import (
    MaintenanceDirectory,
    MaintenanceQueries,
    MaintenanceUnitOfWork,
    MaintenanceUnitOfWorkFactory,
)
from application.maintenance.views import (
    RequestFilter,
    RequestOrder,
    RequestPage,
    TechnicianPage,
    TechnicianView,
    technician_view,
)
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from domain.maintenance.model import Technician
from domain.shared.errors import Conflict, InvalidValue, NotFound


async def _view(uow: MaintenanceUnitOfWork, user_id: UUID) -> TechnicianView:
    loads = {load.technician.user_id: load for load in await uow.technicians.loads()}
    load = loads.get(user_id)
    if load is None:
        raise NotFound("technician", user_id)
    return technician_view(load.technician, load.open_assignments)


class CreateTechnician:
    """The office gives a technician account its profile: a name, skills (categories of
    work) and an active flag. The account must exist with the technician role (422 naming
    `user_id`); a second profile for it answers 409."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory, directory: MaintenanceDirectory) -> None:
        self._uow = uow
        self._directory = directory

    async def __call__(self, command: CreateTechnicianCommand) -> TechnicianView:
        account = await self._directory.account(command.user_id)
        if account is None or account.role is not Role.TECHNICIAN:
            raise InvalidValue("user_id", "names no account with the technician role")
        technician = Technician(
            command.user_id, command.name.strip(), frozenset(command.skills), command.active
        )
        async with self._uow() as uow:
            if await uow.technicians.get(command.user_id) is not None:
                raise Conflict("this account already has a technician profile", "user_id")
            await uow.technicians.add(technician)
            await uow.commit()
        return technician_view(technician, 0)


class UpdateTechnician:
    """Changes a technician's name, skills or active flag. An inactive technician keeps the
    work already assigned but gets no new work from triage."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: UUID, patch: TechnicianPatch) -> TechnicianView:
        async with self._uow() as uow:
            technician = await uow.technicians.get(user_id)
            if technician is None:
                raise NotFound("technician", user_id)
            changes: dict[str, object] = {}
            if patch.name is not UNSET:
                changes["name"] = patch.name.strip()
            if patch.skills is not UNSET:
                changes["skills"] = frozenset(patch.skills)
            if patch.active is not UNSET:
                changes["active"] = patch.active
            await uow.technicians.update(replace(technician, **changes))  # type: ignore[arg-type]
            await uow.commit()
            return await _view(uow, user_id)


class DeleteTechnician:
    """Removes a technician's profile; refused (409) while work is assigned to them: reassign
    it, or deactivate them instead."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: UUID) -> None:
        async with self._uow() as uow:
            view = await _view(uow, user_id)
            if view.open_assignments:
                raise Conflict(
                    f"{view.open_assignments} open requests are assigned to this technician",
                    "user_id",
                )
            await uow.technicians.delete(user_id)
            await uow.commit()


class GetTechnician:
    """A technician's profile with their count of open assignments."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, user_id: UUID) -> TechnicianView:
        async with self._uow() as uow:
            return await _view(uow, user_id)


class ListTechnicians:
    """Every technician by name, with their count of open assignments."""

    def __init__(self, queries: MaintenanceQueries) -> None:
        self._queries = queries

    async def __call__(self, page: PageRequest) -> TechnicianPage:
        return await self._queries.technicians(page)


class TechnicianQueue:
    """A technician's open work, the earliest deadline first. The office reads anyone's
    queue; a technician only their own (another's answers 404)."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory, queries: MaintenanceQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, caller: Principal, user_id: UUID, page: PageRequest) -> RequestPage:
        if not caller.is_office and caller.user_id != user_id:
            raise NotFound("technician", user_id)
        async with self._uow() as uow:
            if await uow.technicians.get(user_id) is None:
                raise NotFound("technician", user_id)
        criteria = RequestFilter(technician_id=user_id, open_only=True, order=RequestOrder.DUE)
        return await self._queries.requests(criteria, page)
