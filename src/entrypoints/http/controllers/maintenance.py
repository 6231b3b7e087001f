"""Maintenance requests over HTTP. A resident reports problems in their room and sees only
their own requests; a technician sees and works on those assigned to them; the office sees
and does everything. Another's request answers 404, like one that does not exist."""

from typing import Annotated
from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED

from application.bookings.views import ClosureView
from application.maintenance.closures import CloseForRepair
from application.maintenance.commands import (
    AssignCommand,
    CloseForRepairCommand,
    NoteCommand,
    RateCommand,
    ResolveCommand,
    SubmitRequestCommand,
)
from application.maintenance.requests import GetRequest, ListRequests, SubmitRequest
from application.maintenance.transitions import (
    AssignRequest,
    CancelRequest,
    CloseRequest,
    HoldWork,
    RateWork,
    ResolveRequest,
    ResumeWork,
    StartWork,
)
from application.maintenance.triage import TriageRequest
from application.maintenance.views import (
    RequestDetailView,
    RequestFilter,
    RequestPage,
    RequestView,
    SubmittedRequestView,
)
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from domain.maintenance.model import Category, Priority, RequestState
from entrypoints.http.access import OFFICE, allowed, everyone
from entrypoints.http.controllers.closures import AFFECTED
from entrypoints.http.docs import described_by, problems

WORKERS = allowed(*OFFICE, Role.TECHNICIAN)
REPORTERS = allowed(*OFFICE, Role.RESIDENT)
STEP = {"status_code": HTTP_200_OK, "responses": problems(403, 404, 409, 422)}


class MaintenanceRequestController(Controller):
    path = "/api/maintenance-requests"
    tags = ["Maintenance"]
    opt = everyone()

    @post(
        "/",
        summary="Report a maintenance problem",
        description=f"{described_by(SubmitRequest)}\n\nThe triage job:\n\n"
        f"{described_by(TriageRequest)}",
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 422),
        opt=REPORTERS,
    )
    async def submit(
        self,
        data: JSONBody[SubmitRequestCommand],
        caller: NamedDependency[Principal],
        submit_maintenance_request: NamedDependency[SubmitRequest],
    ) -> SubmittedRequestView:
        return await submit_maintenance_request(caller, data)

    @get(
        "/",
        summary="List maintenance requests",
        description=described_by(ListRequests),
        responses=problems(403, 422),
    )
    async def list(
        self,
        caller: NamedDependency[Principal],
        list_maintenance_requests: NamedDependency[ListRequests],
        page: NamedDependency[PageRequest],
        request_state: Annotated[RequestState | None, QueryParameter(name="state")] = None,
        priority: FromQuery[Priority | None] = None,
        category: FromQuery[Category | None] = None,
        building_id: FromQuery[UUID | None] = None,
        technician_id: FromQuery[UUID | None] = None,
        resident_id: FromQuery[UUID | None] = None,
        overdue: FromQuery[bool | None] = None,
    ) -> RequestPage:
        criteria = RequestFilter(
            state=request_state,
            priority=priority,
            category=category,
            building_id=building_id,
            technician_id=technician_id,
            resident_id=resident_id,
            overdue=overdue,
        )
        return await list_maintenance_requests(caller, criteria, page)

    @get(
        "/{request_id:uuid}",
        summary="Read a maintenance request with its history",
        description=described_by(GetRequest),
        responses=problems(403, 404),
    )
    async def read(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        get_maintenance_request: NamedDependency[GetRequest],
    ) -> RequestDetailView:
        return await get_maintenance_request(caller, request_id)

    @post(
        "/{request_id:uuid}/assign",
        summary="Assign a request",
        description=described_by(AssignRequest),
        opt=allowed(*OFFICE),
        **STEP,
    )
    async def assign(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[AssignCommand],
        caller: NamedDependency[Principal],
        assign_maintenance_request: NamedDependency[AssignRequest],
    ) -> RequestView:
        return await assign_maintenance_request(caller, request_id, data)

    @post(
        "/{request_id:uuid}/start",
        summary="Start work",
        description=described_by(StartWork),
        opt=WORKERS,
        **STEP,
    )
    async def start(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        start_maintenance_work: NamedDependency[StartWork],
        data: JSONBody[NoteCommand | None] = None,
    ) -> RequestView:
        return await start_maintenance_work(caller, request_id, data or NoteCommand())

    @post(
        "/{request_id:uuid}/hold",
        summary="Put work on hold",
        description=described_by(HoldWork),
        opt=WORKERS,
        **STEP,
    )
    async def hold(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        hold_maintenance_work: NamedDependency[HoldWork],
        data: JSONBody[NoteCommand | None] = None,
    ) -> RequestView:
        return await hold_maintenance_work(caller, request_id, data or NoteCommand())

    @post(
        "/{request_id:uuid}/resume",
        summary="Resume work",
        description=described_by(ResumeWork),
        opt=WORKERS,
        **STEP,
    )
    async def resume(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        resume_maintenance_work: NamedDependency[ResumeWork],
        data: JSONBody[NoteCommand | None] = None,
    ) -> RequestView:
        return await resume_maintenance_work(caller, request_id, data or NoteCommand())

    @post(
        "/{request_id:uuid}/resolve",
        summary="Resolve a request",
        description=described_by(ResolveRequest),
        opt=WORKERS,
        **STEP,
    )
    async def resolve(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[ResolveCommand],
        caller: NamedDependency[Principal],
        resolve_maintenance_request: NamedDependency[ResolveRequest],
    ) -> RequestView:
        return await resolve_maintenance_request(caller, request_id, data)

    @post(
        "/{request_id:uuid}/close",
        summary="Close a request",
        description=described_by(CloseRequest),
        opt=REPORTERS,
        **STEP,
    )
    async def close(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        close_maintenance_request: NamedDependency[CloseRequest],
        data: JSONBody[NoteCommand | None] = None,
    ) -> RequestView:
        return await close_maintenance_request(caller, request_id, data or NoteCommand())

    @post(
        "/{request_id:uuid}/cancel",
        summary="Cancel a request",
        description=described_by(CancelRequest),
        opt=REPORTERS,
        **STEP,
    )
    async def cancel(
        self,
        request_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        cancel_maintenance_request: NamedDependency[CancelRequest],
        data: JSONBody[NoteCommand | None] = None,
    ) -> RequestView:
        return await cancel_maintenance_request(caller, request_id, data or NoteCommand())

    @post(
        "/{request_id:uuid}/rate",
        summary="Rate the work",
        description=described_by(RateWork),
        opt=allowed(Role.RESIDENT),
        **STEP,
    )
    async def rate(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[RateCommand],
        caller: NamedDependency[Principal],
        rate_maintenance_work: NamedDependency[RateWork],
    ) -> RequestView:
        return await rate_maintenance_work(caller, request_id, data)

    @post(
        "/{request_id:uuid}/close-room",
        summary="Close the room for the repair",
        description=f"{described_by(CloseForRepair)}\n\n{AFFECTED}",
        opt=allowed(*OFFICE),
        status_code=HTTP_201_CREATED,
        responses=problems(403, 404, 409, 422),
    )
    async def close_room(
        self,
        request_id: FromPath[UUID],
        data: JSONBody[CloseForRepairCommand],
        caller: NamedDependency[Principal],
        close_for_repair: NamedDependency[CloseForRepair],
    ) -> ClosureView:
        return await close_for_repair(caller, request_id, data)
