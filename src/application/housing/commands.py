"""Inputs of the housing use cases; also the HTTP request bodies."""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from application.shared.structs import Command, Patch
from domain.housing.model import Gender, GenderPolicy, ResidentStatus, RoomStatus, RoomType
from domain.housing.rules import MAX_BEDS_PER_ROOM

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Tags = Annotated[list[Annotated[str, msgspec.Meta(max_length=50)]], msgspec.Meta(max_length=50)]
BuildingCode = Annotated[str, msgspec.Meta(min_length=1, max_length=16, examples=["NH"])]
Floors = Annotated[int, msgspec.Meta(ge=1, le=200, examples=[5])]
Floor = Annotated[int, msgspec.Meta(ge=1, le=200, examples=[2])]
RoomNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=16, examples=["204"])]
BedLabel = Annotated[str, msgspec.Meta(min_length=1, max_length=8, examples=["C"])]
StudentId = Annotated[str, msgspec.Meta(min_length=1, max_length=32, examples=["00412345"])]
Email = Annotated[
    str, msgspec.Meta(min_length=3, max_length=254, examples=["ada.okafor@example.edu"])
]
Phone = Annotated[str, msgspec.Meta(min_length=7, max_length=32, examples=["+447700900456"])]
YearOfStudy = Annotated[int, msgspec.Meta(ge=1, le=10, examples=[2])]


class MoneyInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    amount: Annotated[
        Decimal, msgspec.Meta(description="Decimal string, two places at most", examples=["42.50"])
    ]
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3, examples=["EUR"])]


class EmergencyContactInput(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    name: Name
    phone: Phone
    relationship: Annotated[str, msgspec.Meta(max_length=50, examples=["mother"])] | None = None


class CreateBuildingCommand(Command):
    code: BuildingCode
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=200, examples=["North Hall"])]
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300, examples=["1 College Road"])]
    floors: Floors
    gender_policy: GenderPolicy = GenderPolicy.MIXED
    amenities: Tags = msgspec.field(default_factory=list)
    active: bool = True


class BuildingPatch(Patch):
    code: BuildingCode | UnsetType = UNSET
    name: Name | UnsetType = UNSET
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=300)] | UnsetType = UNSET
    floors: Floors | UnsetType = UNSET
    gender_policy: GenderPolicy | UnsetType = UNSET
    amenities: Tags | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class CreateRoomCommand(Command):
    building_id: UUID
    number: RoomNumber
    floor: Floor
    type: RoomType
    nightly_rate: MoneyInput
    accessible: bool = False
    features: Tags = msgspec.field(default_factory=list)
    status: RoomStatus = RoomStatus.ACTIVE
    beds: (
        Annotated[
            int,
            msgspec.Meta(
                ge=0,
                le=MAX_BEDS_PER_ROOM,
                description="Beds to create; by default as many as the room type implies",
            ),
        ]
        | None
    ) = None


class RoomPatch(Patch):
    number: RoomNumber | UnsetType = UNSET
    floor: Floor | UnsetType = UNSET
    type: RoomType | UnsetType = UNSET
    nightly_rate: MoneyInput | UnsetType = UNSET
    accessible: bool | UnsetType = UNSET
    features: Tags | UnsetType = UNSET
    status: RoomStatus | UnsetType = UNSET


class AddBedCommand(Command):
    label: BedLabel | None = None
    active: bool = True


class BedPatch(Patch):
    label: BedLabel | UnsetType = UNSET
    active: bool | UnsetType = UNSET


class RegisterResidentCommand(Command):
    student_id: StudentId
    first_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Ada"])]
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Okafor"])]
    email: Email
    gender: Gender = Gender.UNDISCLOSED
    phone: Phone | None = None
    date_of_birth: Annotated[date, msgspec.Meta(examples=["2005-04-17"])] | None = None
    department: Annotated[str, msgspec.Meta(max_length=100, examples=["Physics"])] | None = None
    year_of_study: YearOfStudy | None = None
    status: ResidentStatus = ResidentStatus.APPLICANT
    needs_accessible_room: bool = False
    accessibility_notes: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    emergency_contact: EmergencyContactInput | None = None
    email_opt_in: Annotated[
        bool, msgspec.Meta(description="Announcements may reach the resident by email")
    ] = True
    sms_opt_in: Annotated[
        bool, msgspec.Meta(description="Announcements may reach the resident by SMS")
    ] = False


class ResidentPatch(Patch):
    student_id: StudentId | UnsetType = UNSET
    first_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    last_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    email: Email | UnsetType = UNSET
    gender: Gender | UnsetType = UNSET
    phone: Phone | None | UnsetType = UNSET
    date_of_birth: date | None | UnsetType = UNSET
    department: Annotated[str, msgspec.Meta(max_length=100)] | None | UnsetType = UNSET
    year_of_study: YearOfStudy | None | UnsetType = UNSET
    status: ResidentStatus | UnsetType = UNSET
    needs_accessible_room: bool | UnsetType = UNSET
    accessibility_notes: Annotated[str, msgspec.Meta(max_length=500)] | None | UnsetType = UNSET
    emergency_contact: EmergencyContactInput | None | UnsetType = UNSET
    email_opt_in: bool | UnsetType = UNSET
    sms_opt_in: bool | UnsetType = UNSET
    locked_fields: (
        Annotated[
            list[str],
            msgspec.Meta(
                max_length=10,
                description="Directory fields the sync must not overwrite (office only)",
                examples=[["email", "phone"]],
            ),
        ]
        | UnsetType
    ) = UNSET


class CreateTermCommand(Command):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, examples=["Autumn 2026"])]
    starts_on: Annotated[date, msgspec.Meta(examples=["2026-09-21"])]
    ends_on: Annotated[
        date,
        msgspec.Meta(
            description="First day after the term (half-open range)", examples=["2026-12-19"]
        ),
    ]


class TermPatch(Patch):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | UnsetType = UNSET
    starts_on: date | UnsetType = UNSET
    ends_on: date | UnsetType = UNSET


class SeedDemoCampusCommand(Command):
    seed: Annotated[int, msgspec.Meta(description="Same seed, same campus")] = 2026
    residents: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 300
