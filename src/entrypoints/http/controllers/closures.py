"""Closures and occupancy over HTTP: the residence office only."""

from datetime import date
from typing import Annotated
from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from application.bookings.closures import GetClosure, LiftClosure, ListClosures, PlaceClosure
from application.bookings.commands import PlaceClosureCommand
from application.bookings.reports import GetOccupancyReport
from application.bookings.views import (
    ClosureFilter,
    ClosurePage,
    ClosureView,
    OccupancyReportView,
)
from application.shared.paging import PageRequest
from domain.accounts.model import Principal
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems

AFFECTED = (
    "The 409 for a closure over active bookings is a problem document with an extension "
    "member `affected`: a list of `{booking_id, resident_id, name, bed_id, state, starts_on, "
    "ends_on}`."
)


class ClosureController(Controller):
    path = "/api/closures"
    tags = ["Closures"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Close a bed, room or building",
        description=f"{described_by(PlaceClosure)}\n\n{AFFECTED}",
        responses=problems(403, 409, 422),
    )
    async def place(
        self,
        data: JSONBody[PlaceClosureCommand],
        caller: NamedDependency[Principal],
        place_closure: NamedDependency[PlaceClosure],
    ) -> ClosureView:
        return await place_closure(caller.user_id, data)

    @get(
        "/",
        summary="List closures",
        description=described_by(ListClosures),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_closures: NamedDependency[ListClosures],
        page: NamedDependency[PageRequest],
        building_id: FromQuery[UUID | None] = None,
        active_on: FromQuery[date | None] = None,
    ) -> ClosurePage:
        criteria = ClosureFilter(building_id=building_id, active_on=active_on)
        return await list_closures(criteria, page)

    @get(
        "/{closure_id:uuid}",
        summary="Read a closure",
        description=described_by(GetClosure),
        responses=problems(403, 404),
    )
    async def read(
        self, closure_id: FromPath[UUID], get_closure: NamedDependency[GetClosure]
    ) -> ClosureView:
        return await get_closure(closure_id)

    @delete(
        "/{closure_id:uuid}",
        summary="Lift a closure",
        description=described_by(LiftClosure),
        responses=problems(403, 404),
    )
    async def lift(
        self, closure_id: FromPath[UUID], lift_closure: NamedDependency[LiftClosure]
    ) -> None:
        await lift_closure(closure_id)


class ReportController(Controller):
    path = "/api/reports"
    tags = ["Reports"]
    opt = allowed(*OFFICE)

    @get(
        "/occupancy",
        summary="Occupancy on a day",
        description=described_by(GetOccupancyReport),
        responses=problems(403, 422),
    )
    async def occupancy(
        self,
        on: Annotated[date, QueryParameter(name="date")],
        get_occupancy_report: NamedDependency[GetOccupancyReport],
    ) -> OccupancyReportView:
        return await get_occupancy_report(on)
