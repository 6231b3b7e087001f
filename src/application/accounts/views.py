from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import View
from domain.accounts.model import Role


class UserView(View):
    id: UUID
    email: Annotated[str, msgspec.Meta(examples=["warden@example.edu"])]
    role: Role
    resident_id: UUID | None
    active: bool
    created_at: datetime
    updated_at: datetime


class UserPage(View):
    total: int
    limit: int
    offset: int
    items: list[UserView]


class SessionView(View):
    access_token: Annotated[str, msgspec.Meta(description="JWT for `Authorization: Bearer ...`")]
    token_type: Annotated[str, msgspec.Meta(examples=["bearer"])]
    expires_in: Annotated[int, msgspec.Meta(description="Seconds until the access token expires")]
    refresh_token: Annotated[
        str, msgspec.Meta(description="Single use; exchange at /api/auth/refresh")
    ]
    refresh_expires_in: int


class AuditEntryView(View):
    id: int
    at: datetime
    actor_id: UUID | None
    action: Annotated[str, msgspec.Meta(examples=["update"])]
    entity: Annotated[str, msgspec.Meta(examples=["room"])]
    entity_id: str | None
    changed_fields: Annotated[list[str], msgspec.Meta(examples=[["nightly_rate", "status"]])]


class AuditPage(View):
    total: int
    limit: int
    offset: int
    items: list[AuditEntryView]


class UserFilter(msgspec.Struct, frozen=True, kw_only=True):
    role: Role | None = None
    active: bool | None = None


class AuditFilter(msgspec.Struct, frozen=True, kw_only=True):
    entity: str | None = None
    actor_id: UUID | None = None
    since: datetime | None = None
    until: datetime | None = None
