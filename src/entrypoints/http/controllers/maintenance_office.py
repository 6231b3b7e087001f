"""The office's side of maintenance over HTTP: technicians and their queues, preventive
schedules and their previews, and the report."""

from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from application.maintenance.commands import (
    CreateScheduleCommand,
    CreateTechnicianCommand,
    SchedulePatch,
    TechnicianPatch,
)
from application.maintenance.reports import MaintenanceReport
from application.maintenance.schedules import (
    CreateSchedule,
    DeleteSchedule,
    GetSchedule,
    ListSchedules,
    PreviewOccurrences,
    UpdateSchedule,
)
from application.maintenance.technicians import (
    CreateTechnician,
    DeleteTechnician,
    GetTechnician,
    ListTechnicians,
    TechnicianQueue,
    UpdateTechnician,
)
from application.maintenance.views import (
    MaintenanceReportView,
    OccurrencesView,
    RequestPage,
    ScheduleFilter,
    SchedulePage,
    ScheduleView,
    TechnicianPage,
    TechnicianView,
)
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class TechnicianController(Controller):
    path = "/api/technicians"
    tags = ["Maintenance"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Create a technician profile",
        description=described_by(CreateTechnician),
        responses=problems(403, 409, 422),
    )
    async def create(
        self,
        data: JSONBody[CreateTechnicianCommand],
        create_technician: NamedDependency[CreateTechnician],
    ) -> TechnicianView:
        return await create_technician(data)

    @get(
        "/",
        summary="List technicians",
        description=described_by(ListTechnicians),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_technicians: NamedDependency[ListTechnicians],
        page: NamedDependency[PageRequest],
    ) -> TechnicianPage:
        return await list_technicians(page)

    @get(
        "/{user_id:uuid}",
        summary="Read a technician",
        description=described_by(GetTechnician),
        responses=problems(403, 404),
    )
    async def read(
        self, user_id: FromPath[UUID], get_technician: NamedDependency[GetTechnician]
    ) -> TechnicianView:
        return await get_technician(user_id)

    @patch(
        "/{user_id:uuid}",
        summary="Change a technician",
        description=described_by(UpdateTechnician),
        responses=problems(403, 404, 422),
    )
    async def update(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[TechnicianPatch],
        update_technician: NamedDependency[UpdateTechnician],
    ) -> TechnicianView:
        return await update_technician(user_id, data)

    @delete(
        "/{user_id:uuid}",
        summary="Remove a technician profile",
        description=described_by(DeleteTechnician),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self, user_id: FromPath[UUID], delete_technician: NamedDependency[DeleteTechnician]
    ) -> None:
        await delete_technician(user_id)

    @get(
        "/{user_id:uuid}/queue",
        summary="A technician's open work",
        description=described_by(TechnicianQueue),
        responses=problems(403, 404, 422),
        opt=allowed(*OFFICE, Role.TECHNICIAN),
    )
    async def queue(
        self,
        user_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        technician_queue: NamedDependency[TechnicianQueue],
        page: NamedDependency[PageRequest],
    ) -> RequestPage:
        return await technician_queue(caller, user_id, page)


class MaintenanceScheduleController(Controller):
    path = "/api/maintenance-schedules"
    tags = ["Maintenance"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Schedule preventive maintenance",
        description=described_by(CreateSchedule),
        responses=problems(403, 422),
    )
    async def create(
        self,
        data: JSONBody[CreateScheduleCommand],
        caller: NamedDependency[Principal],
        create_maintenance_schedule: NamedDependency[CreateSchedule],
    ) -> ScheduleView:
        return await create_maintenance_schedule(caller.user_id, data)

    @get(
        "/",
        summary="List maintenance schedules",
        description=described_by(ListSchedules),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_maintenance_schedules: NamedDependency[ListSchedules],
        page: NamedDependency[PageRequest],
        building_id: FromQuery[UUID | None] = None,
        room_id: FromQuery[UUID | None] = None,
        paused: FromQuery[bool | None] = None,
    ) -> SchedulePage:
        criteria = ScheduleFilter(building_id=building_id, room_id=room_id, paused=paused)
        return await list_maintenance_schedules(criteria, page)

    @get(
        "/{schedule_id:uuid}",
        summary="Read a maintenance schedule",
        description=described_by(GetSchedule),
        responses=problems(403, 404),
    )
    async def read(
        self, schedule_id: FromPath[UUID], get_maintenance_schedule: NamedDependency[GetSchedule]
    ) -> ScheduleView:
        return await get_maintenance_schedule(schedule_id)

    @patch(
        "/{schedule_id:uuid}",
        summary="Change a maintenance schedule",
        description=described_by(UpdateSchedule),
        responses=problems(403, 404, 422),
    )
    async def update(
        self,
        schedule_id: FromPath[UUID],
        data: JSONBody[SchedulePatch],
        update_maintenance_schedule: NamedDependency[UpdateSchedule],
    ) -> ScheduleView:
        return await update_maintenance_schedule(schedule_id, data)

    @delete(
        "/{schedule_id:uuid}",
        summary="Delete a maintenance schedule",
        description=described_by(DeleteSchedule),
        responses=problems(403, 404),
    )
    async def remove(
        self,
        schedule_id: FromPath[UUID],
        delete_maintenance_schedule: NamedDependency[DeleteSchedule],
    ) -> None:
        await delete_maintenance_schedule(schedule_id)

    @get(
        "/{schedule_id:uuid}/occurrences",
        summary="Preview a schedule's next dates",
        description=described_by(PreviewOccurrences),
        responses=problems(403, 404, 422),
    )
    async def occurrences(
        self,
        schedule_id: FromPath[UUID],
        preview_maintenance_occurrences: NamedDependency[PreviewOccurrences],
        count: FromQuery[int] = 10,
    ) -> OccurrencesView:
        return await preview_maintenance_occurrences(schedule_id, count)


class MaintenanceReportController(Controller):
    path = "/api/reports/maintenance"
    tags = ["Maintenance"]
    opt = allowed(*OFFICE)

    @get(
        "/",
        summary="The maintenance report",
        description=described_by(MaintenanceReport),
        responses=problems(403),
    )
    async def read(
        self, maintenance_report: NamedDependency[MaintenanceReport]
    ) -> MaintenanceReportView:
        return await maintenance_report()
