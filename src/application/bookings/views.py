"""What bookings reads return: response bodies, pages and filters."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.payments.views import BookingPaymentView
from application.shared.structs import View
from application.shared.views import Page
from domain.bookings.allocation import CandidateBed
from domain.bookings.closures import Closure, ClosureTarget
from domain.bookings.model import Booking, BookingState
from domain.bookings.occupancy import OccupancyCount, occupancy_percent
from domain.housing.model import RoomType


class PreferencesView(View):
    building_id: UUID | None
    room_type: RoomType | None
    accessible: bool | None


class BookingView(View):
    id: UUID
    resident_id: UUID
    state: BookingState
    bed_id: Annotated[UUID | None, msgspec.Meta(description="The bed allocated, once held")]
    starts_on: date
    ends_on: Annotated[date, msgspec.Meta(description="Half-open: the departure morning")]
    term_id: UUID | None
    requested_bed_id: UUID | None
    requested_room_id: UUID | None
    preferences: PreferencesView
    hold_expires_at: Annotated[
        datetime | None, msgspec.Meta(description="A held bed is released at this instant")
    ]
    waitlisted_at: datetime | None
    checked_in_on: date | None
    checked_out_on: date | None
    reason: Annotated[str | None, msgspec.Meta(description="Why it was rejected or cancelled")]
    requested_at: datetime
    waitlist_position: Annotated[
        int | None,
        msgspec.Meta(description="1 for the next in line; read on a single waitlisted booking"),
    ] = None
    payment: Annotated[
        BookingPaymentView | None,
        msgspec.Meta(description="Price, what is paid and due, where to pay; read on one booking"),
    ] = None


class RequestedBookingView(BookingView, kw_only=True):
    job_id: Annotated[
        UUID, msgspec.Meta(description="The allocation's job: GET /api/jobs/{id}, jobs.{id}")
    ]


class BookingPage(Page):
    items: list[BookingView]


class BookingFilter(msgspec.Struct, frozen=True, kw_only=True):
    resident_id: UUID | None = None
    building_id: Annotated[
        UUID | None, msgspec.Meta(description="Bookings of a bed in this building")
    ] = None
    term_id: UUID | None = None
    state: BookingState | None = None


class AvailabilityFilter(msgspec.Struct, frozen=True, kw_only=True):
    starts_on: date
    ends_on: date
    building_id: UUID | None = None
    room_type: RoomType | None = None
    accessible: bool | None = None


class FreeBedView(View):
    bed_id: UUID
    bed_label: str
    room_id: UUID
    room_number: str
    building_id: UUID
    floor: int
    room_type: RoomType
    accessible: bool


class FreeCount(View):
    building_id: UUID
    room_type: RoomType
    free: int


class AvailabilityView(View):
    starts_on: date
    ends_on: date
    free: Annotated[int, msgspec.Meta(description="Beds free for every night of the stay")]
    counts: Annotated[list[FreeCount], msgspec.Meta(description="Free beds per building and type")]
    beds: list[FreeBedView]


def booking_view(booking: Booking) -> BookingView:
    return BookingView(**_booking_fields(booking))


def requested_booking_view(booking: Booking, job_id: UUID) -> RequestedBookingView:
    return RequestedBookingView(**_booking_fields(booking), job_id=job_id)


def _booking_fields(booking: Booking) -> dict[str, Any]:
    preferences = booking.preferences
    return {
        "id": booking.id,
        "resident_id": booking.resident_id,
        "state": booking.state,
        "bed_id": booking.bed_id,
        "starts_on": booking.stay.start,
        "ends_on": booking.stay.end,
        "term_id": booking.term_id,
        "requested_bed_id": booking.requested_bed_id,
        "requested_room_id": booking.requested_room_id,
        "preferences": PreferencesView(
            building_id=preferences.building_id,
            room_type=preferences.room_type,
            accessible=preferences.accessible,
        ),
        "hold_expires_at": booking.hold_expires_at,
        "waitlisted_at": booking.waitlisted_at,
        "checked_in_on": booking.checked_in_on,
        "checked_out_on": booking.checked_out_on,
        "reason": booking.reason,
        "requested_at": booking.requested_at,
    }


def free_bed_view(bed: CandidateBed) -> FreeBedView:
    return FreeBedView(
        bed_id=bed.bed_id,
        bed_label=bed.bed_label,
        room_id=bed.room_id,
        room_number=bed.room_number,
        building_id=bed.building_id,
        floor=bed.floor,
        room_type=bed.room_type,
        accessible=bed.accessible,
    )


def booking_event(booking: Booking) -> dict[str, Any]:
    """Pushed on the resident's topic after each change: the booking as GET shows it, typed."""
    return {"type": "booking", **msgspec.to_builtins(booking_view(booking))}


class ClosureView(View):
    id: UUID
    target: ClosureTarget
    target_id: UUID
    building_id: Annotated[
        UUID | None, msgspec.Meta(description="The building of the target; null once deleted")
    ]
    starts_on: date
    ends_on: Annotated[date, msgspec.Meta(description="Half-open: the day it reopens")]
    reason: str
    created_at: datetime
    created_by: UUID | None


class ClosurePage(Page):
    items: list[ClosureView]


class ClosureFilter(msgspec.Struct, frozen=True, kw_only=True):
    building_id: Annotated[
        UUID | None, msgspec.Meta(description="Closures of the building, its rooms or beds")
    ] = None
    active_on: Annotated[date | None, msgspec.Meta(description="Closures in force on this day")] = (
        None
    )


def closure_view(closure: Closure, building_id: UUID | None) -> ClosureView:
    return ClosureView(
        id=closure.id,
        target=closure.target,
        target_id=closure.target_id,
        building_id=building_id,
        starts_on=closure.dates.start,
        ends_on=closure.dates.end,
        reason=closure.reason,
        created_at=closure.created_at,
        created_by=closure.created_by,
    )


_PERCENT = msgspec.Meta(
    description="occupied / (beds - closed) x 100, rounded half up to one decimal place, as a "
    "decimal string; null when no bed is usable"
)


class OccupancyTotals(View):
    beds: Annotated[int, msgspec.Meta(description="Beds in service, in buildings in use")]
    occupied: Annotated[int, msgspec.Meta(description="A confirmed or checked-in stay covers it")]
    held: Annotated[int, msgspec.Meta(description="A held booking's stay covers it")]
    closed: Annotated[int, msgspec.Meta(description="Closed that day, and nobody in it")]
    free: int
    occupancy_percent: Annotated[Decimal | None, _PERCENT]


class OccupancyRow(OccupancyTotals, kw_only=True):
    building_id: UUID
    building_code: str
    room_type: RoomType


class OccupancyReportView(View):
    date: date
    rows: Annotated[list[OccupancyRow], msgspec.Meta(description="By building code, room type")]
    total: OccupancyTotals


def occupancy_report(on: date, counts: list[OccupancyCount]) -> OccupancyReportView:
    rows = [
        OccupancyRow(
            building_id=count.building_id,
            building_code=count.building_code,
            room_type=count.room_type,
            **_totals(count.beds, count.occupied, count.held, count.closed),
        )
        for count in sorted(counts, key=lambda c: (c.building_code, c.room_type.value))
    ]
    sums = [
        sum(getattr(c, name) for c in counts) for name in ("beds", "occupied", "held", "closed")
    ]
    return OccupancyReportView(date=on, rows=rows, total=OccupancyTotals(**_totals(*sums)))


def _totals(beds: int, occupied: int, held: int, closed: int) -> dict[str, Any]:
    return {
        "beds": beds,
        "occupied": occupied,
        "held": held,
        "closed": closed,
        "free": beds - occupied - held - closed,
        "occupancy_percent": occupancy_percent(occupied, beds - closed),
    }
