"""What callers send to the notifications use cases."""

from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import Command
from domain.notifications.announcements import (
    MAX_BODY_LENGTH,
    MAX_LISTED_RESIDENTS,
    MAX_TITLE_LENGTH,
    AudienceKind,
)
from domain.notifications.model import Channel


class AudienceInput(Command):
    kind: Annotated[
        AudienceKind,
        msgspec.Meta(
            description="`all_residents` (status active), `building` (building_id), `floor` "
            "(building_id and floor) or `residents` (resident_ids)"
        ),
    ]
    building_id: UUID | None = None
    floor: Annotated[int, msgspec.Meta(ge=1)] | None = None
    resident_ids: Annotated[list[UUID], msgspec.Meta(max_length=MAX_LISTED_RESIDENTS)] = []


class PublishAnnouncementCommand(Command):
    title: Annotated[
        str, msgspec.Meta(min_length=1, max_length=MAX_TITLE_LENGTH, examples=["Water off"])
    ]
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_BODY_LENGTH)]
    audience: AudienceInput
    channels: Annotated[
        list[Channel],
        msgspec.Meta(min_length=1, description="Each resident gets each channel they opted in to"),
    ] = msgspec.field(default_factory=lambda: [Channel.EMAIL])
