"""What callers send to the maintenance use cases."""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from application.housing.commands import MoneyInput
from application.shared.structs import Command, Patch
from domain.maintenance.lifecycle import MAX_NOTE_LENGTH
from domain.maintenance.model import Category, Priority
from domain.maintenance.recurrence import Unit
from domain.maintenance.schedules import MAX_LEAD_DAYS

Note = Annotated[str, msgspec.Meta(max_length=MAX_NOTE_LENGTH)]
Title = Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["Boiler service"])]


class SubmitRequestCommand(Command):
    category: Category
    description: Annotated[
        str, msgspec.Meta(min_length=1, max_length=2000, examples=["The shower drain is blocked"])
    ]
    priority: Priority = Priority.ROUTINE
    permission_to_enter: Annotated[
        bool, msgspec.Meta(description="May a technician enter when nobody is in?")
    ] = False
    preferred_times: (
        Annotated[str, msgspec.Meta(max_length=200, examples=["weekdays after 4 pm"])] | None
    ) = None
    room_id: Annotated[
        UUID | None, msgspec.Meta(description="The office names a room; a resident's is theirs")
    ] = None
    building_id: Annotated[
        UUID | None, msgspec.Meta(description="The office: a whole building (no room_id)")
    ] = None


class NoteCommand(Command):
    note: Note | None = None


class AssignCommand(Command):
    technician_id: Annotated[UUID, msgspec.Meta(description="The technician's user id")]
    note: Note | None = None


class PartInput(Command):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["tap washer"])]
    cost: MoneyInput


class ResolveCommand(Command):
    labour_hours: Annotated[
        Decimal, msgspec.Meta(description="0 to 1000, in hundredths at most", examples=["1.5"])
    ]
    actual_cost: MoneyInput
    parts: Annotated[list[PartInput], msgspec.Meta(max_length=100)] = []
    note: Note | None = None


class RateCommand(Command):
    rating: Annotated[int, msgspec.Meta(ge=1, le=5, examples=[5])]


Skills = Annotated[list[Category], msgspec.Meta(max_length=len(Category))]


class CreateTechnicianCommand(Command):
    user_id: Annotated[UUID, msgspec.Meta(description="An account whose role is technician")]
    name: Title
    skills: Skills
    active: bool = True


class TechnicianPatch(Patch):
    name: Title | UnsetType = UNSET
    skills: Skills | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class RecurrenceInput(Command):
    """Every N days, weeks or months (`every` and `unit`), or a 5-field `cron` expression."""

    every: Annotated[int, msgspec.Meta(ge=1, le=1000)] | None = None
    unit: Unit | None = None
    cron: Annotated[str, msgspec.Meta(max_length=100, examples=["0 9 * * mon"])] | None = None


class CreateScheduleCommand(Command):
    title: Title
    category: Category
    recurrence: RecurrenceInput
    starts_on: Annotated[date, msgspec.Meta(description="The first day work may recur")]
    building_id: UUID | None = None
    room_id: Annotated[UUID | None, msgspec.Meta(description="Its building is implied")] = None
    lead_days: Annotated[
        int, msgspec.Meta(ge=0, le=MAX_LEAD_DAYS, description="Days ahead a work order is made")
    ] = 0
    estimated_cost: MoneyInput | None = None
    priority: Priority = Priority.ROUTINE
    paused: bool = False


class SchedulePatch(Patch):
    title: Title | UnsetType = UNSET
    category: Category | UnsetType = UNSET
    recurrence: RecurrenceInput | UnsetType = UNSET
    starts_on: date | UnsetType = UNSET
    lead_days: Annotated[int, msgspec.Meta(ge=0, le=MAX_LEAD_DAYS)] | UnsetType = UNSET
    estimated_cost: MoneyInput | None | UnsetType = UNSET
    priority: Priority | UnsetType = UNSET
    paused: bool | UnsetType = UNSET


class CloseForRepairCommand(Command):
    starts_on: Annotated[date, msgspec.Meta(examples=["2026-10-05"])]
    ends_on: Annotated[date, msgspec.Meta(description="The day it reopens (half-open)")]
    bed_id: Annotated[
        UUID | None,
        msgspec.Meta(description="Close only this bed; none closes the request's room"),
    ] = None
    force: Annotated[
        bool,
        msgspec.Meta(description="Close even over active bookings, and email their residents"),
    ] = False
