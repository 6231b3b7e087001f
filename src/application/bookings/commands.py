"""What callers send to the bookings use cases."""

from datetime import date
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import Command
from domain.bookings.closures import ClosureTarget
from domain.bookings.rules import MAX_REASON_LENGTH
from domain.housing.model import RoomType


class PreferencesInput(Command):
    """Any bed that fits these; a field left out (or null) is no preference."""

    building_id: UUID | None = None
    room_type: RoomType | None = None
    accessible: Annotated[
        bool | None,
        msgspec.Meta(description="true: an accessible room only; false or null: no preference"),
    ] = None


class RequestBookingCommand(Command):
    resident_id: Annotated[
        UUID | None,
        msgspec.Meta(description="The office names the resident; a resident books for themself"),
    ] = None
    bed_id: UUID | None = None
    room_id: UUID | None = None
    preferences: PreferencesInput | None = None
    term_id: Annotated[
        UUID | None, msgspec.Meta(description="The term's dates, or what is left of them")
    ] = None
    starts_on: Annotated[date | None, msgspec.Meta(examples=["2026-09-21"])] = None
    ends_on: Annotated[
        date | None, msgspec.Meta(description="The morning of departure, not a night booked")
    ] = None


class CancelBookingCommand(Command):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)] | None = None


class _DayCommand(Command):
    on: Annotated[
        date | None,
        msgspec.Meta(description="The day it happened; today if left out", examples=["2026-09-21"]),
    ] = None


class CheckInBookingCommand(_DayCommand):
    pass


class CheckOutBookingCommand(_DayCommand):
    pass


class MoveBookingCommand(Command):
    bed_id: Annotated[UUID, msgspec.Meta(description="The bed to move to, for the same stay")]


class PlaceClosureCommand(Command):
    target: Annotated[ClosureTarget, msgspec.Meta(description="What closes: a bed, room, building")]
    target_id: UUID
    starts_on: Annotated[date, msgspec.Meta(examples=["2026-07-01"])]
    ends_on: Annotated[date, msgspec.Meta(description="The day it reopens (half-open)")]
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON_LENGTH)]
    force: Annotated[
        bool,
        msgspec.Meta(description="Close even over active bookings, and email their residents"),
    ] = False
