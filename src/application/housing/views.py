"""What housing reads return: response bodies, pages and the filters that select them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import View
from application.shared.views import Page
from domain.housing.model import Gender, GenderPolicy, ResidentStatus, RoomStatus, RoomType


class MoneyView(View):
    amount: Annotated[Decimal, msgspec.Meta(examples=["42.50"])]
    currency: Annotated[str, msgspec.Meta(examples=["EUR"])]


class BuildingView(View):
    id: UUID
    code: Annotated[str, msgspec.Meta(examples=["NH"])]
    name: Annotated[str, msgspec.Meta(examples=["North Hall"])]
    address: Annotated[str, msgspec.Meta(examples=["1 College Road"])]
    floors: Annotated[int, msgspec.Meta(examples=[5])]
    gender_policy: GenderPolicy
    amenities: Annotated[list[str], msgspec.Meta(examples=[["laundry", "bike storage"]])]
    active: bool
    created_at: datetime
    updated_at: datetime


class RoomView(View):
    id: UUID
    building_id: UUID
    building_code: Annotated[str, msgspec.Meta(examples=["NH"])]
    number: Annotated[str, msgspec.Meta(examples=["204"])]
    floor: Annotated[int, msgspec.Meta(examples=[2])]
    type: RoomType
    accessible: bool
    features: Annotated[list[str], msgspec.Meta(examples=[["sink", "desk"]])]
    status: RoomStatus
    nightly_rate: MoneyView
    capacity: Annotated[int, msgspec.Meta(description="Count of active beds", examples=[2])]
    created_at: datetime
    updated_at: datetime


class BedView(View):
    id: UUID
    room_id: UUID
    label: Annotated[str, msgspec.Meta(examples=["A"])]
    active: bool


class EmergencyContactView(View):
    name: Annotated[str, msgspec.Meta(examples=["Maria Okafor"])]
    phone: Annotated[str, msgspec.Meta(examples=["+447700900123"])]
    relationship: Annotated[str | None, msgspec.Meta(examples=["mother"])] = None


class ResidentView(View):
    id: UUID
    student_id: Annotated[str, msgspec.Meta(examples=["00412345"])]
    first_name: Annotated[str, msgspec.Meta(examples=["Ada"])]
    last_name: Annotated[str, msgspec.Meta(examples=["Okafor"])]
    email: Annotated[str, msgspec.Meta(examples=["ada.okafor@example.edu"])]
    phone: Annotated[str | None, msgspec.Meta(examples=["+447700900456"])]
    gender: Gender
    date_of_birth: date | None
    department: Annotated[str | None, msgspec.Meta(examples=["Physics"])]
    year_of_study: Annotated[int | None, msgspec.Meta(examples=[2])]
    status: ResidentStatus
    needs_accessible_room: bool
    accessibility_notes: str | None
    emergency_contact: EmergencyContactView | None
    email_opt_in: bool
    sms_opt_in: bool
    locked_fields: Annotated[
        list[str],
        msgspec.Meta(
            description="Fields the directory sync leaves as the office set them",
            examples=[["email"]],
        ),
    ]
    created_at: datetime
    updated_at: datetime


class TermView(View):
    id: UUID
    name: Annotated[str, msgspec.Meta(examples=["Autumn 2026"])]
    starts_on: Annotated[date, msgspec.Meta(examples=["2026-09-21"])]
    ends_on: Annotated[
        date,
        msgspec.Meta(
            description="First day after the term (half-open range)", examples=["2026-12-19"]
        ),
    ]
    created_at: datetime
    updated_at: datetime


class BuildingPage(Page):
    items: list[BuildingView]


class RoomPage(Page):
    items: list[RoomView]


class ResidentPage(Page):
    items: list[ResidentView]


class TermPage(Page):
    items: list[TermView]


class BuildingFilter(msgspec.Struct, frozen=True, kw_only=True):
    active: bool | None = None


class RoomFilter(msgspec.Struct, frozen=True, kw_only=True):
    building_id: UUID | None = None
    floor: int | None = None
    type: RoomType | None = None
    accessible: bool | None = None
    status: RoomStatus | None = None


class ResidentFilter(msgspec.Struct, frozen=True, kw_only=True):
    status: ResidentStatus | None = None
    department: str | None = None
    q: str | None = None


class DemoCampusReport(View):
    seeded: Annotated[bool, msgspec.Meta(description="False when the demo campus was there")]
    existing_codes: list[str]
    buildings: int = 0
    rooms: int = 0
    beds: int = 0
    residents: int = 0
    residents_skipped: int = 0
    terms: int = 0
    terms_skipped: int = 0
