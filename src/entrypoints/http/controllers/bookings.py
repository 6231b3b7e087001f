"""Bookings and availability over HTTP. The office reaches every booking; a resident books for
themself and reaches only their own bookings (another's answers 404)."""

from datetime import date
from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED

from application.bookings.allocation import AllocateBooking
from application.bookings.bookings import (
    CancelBooking,
    GetAvailability,
    GetBooking,
    ListBookings,
)
from application.bookings.commands import (
    CancelBookingCommand,
    CheckInBookingCommand,
    CheckOutBookingCommand,
    MoveBookingCommand,
    RequestBookingCommand,
)
from application.bookings.operations import CheckInBooking, CheckOutBooking, MoveBooking
from application.bookings.requests import RequestBooking
from application.bookings.views import (
    AvailabilityFilter,
    AvailabilityView,
    BookingFilter,
    BookingPage,
    BookingView,
    RequestedBookingView,
)
from application.shared.idempotency import IdempotentRequests
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from domain.bookings.model import BookingState
from domain.housing.model import RoomType
from entrypoints.http.access import OFFICE, allowed, ensure_may_see_resident
from entrypoints.http.docs import described_by, problems
from entrypoints.http.idempotency import IdempotencyKey, run_once

OWN_BOOKINGS = (
    "A resident reaches only their own bookings; naming another resident answers 404, like a "
    "resident that does not exist."
)


class BookingController(Controller):
    path = "/api/bookings"
    tags = ["Bookings"]
    opt = allowed(*OFFICE, Role.RESIDENT)

    @post(
        "/",
        summary="Request a booking",
        description=(
            f"{described_by(RequestBooking)}\n\n{OWN_BOOKINGS}\n\n"
            f"The allocation job:\n\n{described_by(AllocateBooking)}"
        ),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 404, 409, 422),
    )
    async def request(
        self,
        data: JSONBody[RequestBookingCommand],
        caller: NamedDependency[Principal],
        request_booking: NamedDependency[RequestBooking],
        idempotent_requests: NamedDependency[IdempotentRequests],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[RequestedBookingView]:
        if data.resident_id is not None:
            ensure_may_see_resident(caller, data.resident_id)

        async def work() -> Any:
            return await request_booking(caller, data)

        scope = f"{caller.user_id}:bookings.request"
        return await run_once(
            idempotent_requests, scope, idempotency_key, data, work, HTTP_202_ACCEPTED
        )

    @get(
        "/",
        summary="List bookings",
        description=f"{described_by(ListBookings)}\n\n{OWN_BOOKINGS}",
        responses=problems(403, 404, 422),
    )
    async def list(
        self,
        caller: NamedDependency[Principal],
        list_bookings: NamedDependency[ListBookings],
        page: NamedDependency[PageRequest],
        resident_id: FromQuery[UUID | None] = None,
        building_id: FromQuery[UUID | None] = None,
        term_id: FromQuery[UUID | None] = None,
        # `state` is a name Litestar reserves for the app state; the query keeps it.
        booking_state: Annotated[BookingState | None, QueryParameter(name="state")] = None,
    ) -> BookingPage:
        if resident_id is not None:
            ensure_may_see_resident(caller, resident_id)
        criteria = BookingFilter(
            resident_id=resident_id, building_id=building_id, term_id=term_id, state=booking_state
        )
        return await list_bookings(caller, criteria, page)

    @get(
        "/{booking_id:uuid}",
        summary="Read a booking",
        description=described_by(GetBooking),
        responses=problems(403, 404),
    )
    async def read(
        self,
        booking_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        get_booking: NamedDependency[GetBooking],
    ) -> BookingView:
        return await get_booking(caller, booking_id)

    @post(
        "/{booking_id:uuid}/cancel",
        summary="Cancel a booking",
        description=described_by(CancelBooking),
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, 422),
    )
    async def cancel(
        self,
        booking_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        cancel_booking: NamedDependency[CancelBooking],
        data: JSONBody[CancelBookingCommand | None] = None,
    ) -> BookingView:
        return await cancel_booking(caller, booking_id, data or CancelBookingCommand())

    @post(
        "/{booking_id:uuid}/check-in",
        summary="Check a resident in",
        description=described_by(CheckInBooking),
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, 422),
        opt=allowed(*OFFICE),
    )
    async def check_in(
        self,
        booking_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        check_in_booking: NamedDependency[CheckInBooking],
        data: JSONBody[CheckInBookingCommand | None] = None,
    ) -> BookingView:
        return await check_in_booking(caller, booking_id, data or CheckInBookingCommand())

    @post(
        "/{booking_id:uuid}/check-out",
        summary="Check a resident out",
        description=described_by(CheckOutBooking),
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, 422),
        opt=allowed(*OFFICE),
    )
    async def check_out(
        self,
        booking_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        check_out_booking: NamedDependency[CheckOutBooking],
        data: JSONBody[CheckOutBookingCommand | None] = None,
    ) -> BookingView:
        return await check_out_booking(caller, booking_id, data or CheckOutBookingCommand())

    @post(
        "/{booking_id:uuid}/move",
        summary="Move a booking to another bed",
        description=described_by(MoveBooking),
        status_code=HTTP_200_OK,
        responses=problems(403, 404, 409, 422),
        opt=allowed(*OFFICE),
    )
    async def move(
        self,
        booking_id: FromPath[UUID],
        data: JSONBody[MoveBookingCommand],
        caller: NamedDependency[Principal],
        move_booking: NamedDependency[MoveBooking],
    ) -> BookingView:
        return await move_booking(caller, booking_id, data)


class AvailabilityController(Controller):
    path = "/api/availability"
    tags = ["Bookings"]
    opt = allowed(*OFFICE, Role.RESIDENT)

    @get(
        "/",
        summary="Free beds for dates",
        description=described_by(GetAvailability),
        responses=problems(403, 422),
    )
    async def read(
        self,
        starts_on: FromQuery[date],
        ends_on: FromQuery[date],
        get_availability: NamedDependency[GetAvailability],
        building_id: FromQuery[UUID | None] = None,
        room_type: FromQuery[RoomType | None] = None,
        accessible: FromQuery[bool | None] = None,
    ) -> AvailabilityView:
        criteria = AvailabilityFilter(
            starts_on=starts_on,
            ends_on=ends_on,
            building_id=building_id,
            room_type=room_type,
            accessible=accessible,
        )
        return await get_availability(criteria)
