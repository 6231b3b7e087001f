"""Housing inventory: buildings, their rooms and beds, residents and academic terms."""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from uuid import UUID, uuid4

from domain.shared.dates import DateRange
from domain.shared.money import Money


class GenderPolicy(StrEnum):
    MIXED = "mixed"
    FEMALE = "female"
    MALE = "male"
    GENDER_INCLUSIVE = "gender_inclusive"


class RoomType(StrEnum):
    SINGLE = "single"
    DOUBLE = "double"
    TRIPLE = "triple"
    QUAD = "quad"
    STUDIO = "studio"
    SUITE = "suite"


class RoomStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NON_BINARY = "non_binary"
    UNDISCLOSED = "undisclosed"


# The fields a resident's record takes from the student directory; staff may lock any of them
# on one resident, and the sync then leaves that field as staff set it.
DIRECTORY_FIELDS = ("first_name", "last_name", "email", "phone", "department", "year_of_study")


class ResidentStatus(StrEnum):
    APPLICANT = "applicant"
    ACTIVE = "active"
    FORMER = "former"


@dataclass(slots=True)
class Building:
    code: str
    name: str
    address: str
    floors: int
    gender_policy: GenderPolicy = GenderPolicy.MIXED
    amenities: list[str] = field(default_factory=list)
    active: bool = True
    id: UUID = field(default_factory=uuid4)


@dataclass(slots=True)
class Bed:
    room_id: UUID
    label: str
    active: bool = True
    id: UUID = field(default_factory=uuid4)


@dataclass(slots=True)
class Room:
    building_id: UUID
    number: str
    floor: int
    type: RoomType
    nightly_rate: Money
    accessible: bool = False
    features: list[str] = field(default_factory=list)
    status: RoomStatus = RoomStatus.ACTIVE
    id: UUID = field(default_factory=uuid4)


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    name: str
    phone: str
    relationship: str | None = None


@dataclass(slots=True)
class Resident:
    student_id: str
    first_name: str
    last_name: str
    email: str
    gender: Gender = Gender.UNDISCLOSED
    phone: str | None = None
    date_of_birth: date | None = None
    department: str | None = None
    year_of_study: int | None = None
    status: ResidentStatus = ResidentStatus.APPLICANT
    needs_accessible_room: bool = False
    accessibility_notes: str | None = None
    emergency_contact: EmergencyContact | None = None
    # Whether announcements may reach the resident by email and by SMS. Email is the office's
    # normal channel; text messages need the resident's consent.
    email_opt_in: bool = True
    sms_opt_in: bool = False
    locked_fields: list[str] = field(default_factory=list)
    id: UUID = field(default_factory=uuid4)


@dataclass(slots=True)
class Term:
    name: str
    dates: DateRange
    id: UUID = field(default_factory=uuid4)
