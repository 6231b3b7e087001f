"""What the voter use cases take and return."""

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, UnsetType

from application.shared.structs import Patch, View
from application.shared.views import Page

Text = Annotated[str, msgspec.Meta(max_length=200)]


class VoterFilter(msgspec.Struct, frozen=True, kw_only=True):
    department: str | None = None
    year: int | None = None
    is_eligible: bool | None = None
    q: Annotated[str | None, msgspec.Meta(description="Part of a name, email or student id")] = None


class VoterPatch(Patch):
    """Eligibility and contact fields; the student id is the key and does not change."""

    first_name: Text | None | UnsetType = UNSET
    last_name: Text | None | UnsetType = UNSET
    email: Annotated[str, msgspec.Meta(min_length=3, max_length=254)] | UnsetType = UNSET
    department: Text | None | UnsetType = UNSET
    year: Annotated[int, msgspec.Meta(ge=1, le=10)] | None | UnsetType = UNSET
    is_eligible: bool | UnsetType = UNSET


class VoterView(View):
    student_id: Annotated[str, msgspec.Meta(examples=["00412345"])]
    email: str
    first_name: str | None
    last_name: str | None
    department: str | None
    year: int | None
    is_eligible: bool
    created_at: datetime
    updated_at: datetime


class VoterPage(Page):
    items: list[VoterView]


class GroupCount(View):
    """Voters in one group, and how many of them are eligible."""

    total: int
    eligible: int


class DepartmentCount(GroupCount):
    department: str | None


class YearCount(GroupCount):
    year: int | None


class VoterStats(View):
    total: int
    eligible: int
    ineligible: int
    by_department: list[DepartmentCount]
    by_year: list[YearCount]
