"""What bookings reads return: response bodies, pages and filters."""

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.payments.views import BookingPaymentView
from application.shared.structs import View
from application.shared.views import Page
from domain.bookings.allocation import CandidateBed
from domain.bookings.model import Booking, BookingState
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
