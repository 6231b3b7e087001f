"""What announcement reads return: response bodies and pages."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import View
from application.shared.views import Page
from domain.notifications.announcements import Announcement, AnnouncementState, AudienceKind
from domain.notifications.model import Channel


class AudienceView(View):
    kind: AudienceKind
    building_id: UUID | None = None
    floor: int | None = None
    resident_ids: list[UUID] = []


class DeliveryCounts(View):
    """The announcement's messages by delivery state; they add up to `messages`."""

    queued: Annotated[int, msgspec.Meta(description="Waiting for delivery, or being sent")]
    sent: int
    failed: Annotated[int, msgspec.Meta(description="Given up after the last retry")]


class AnnouncementView(View):
    id: UUID
    title: Annotated[str, msgspec.Meta(examples=["Water off on Thursday"])]
    body: str
    audience: AudienceView
    channels: list[Channel]
    state: AnnouncementState
    job_id: Annotated[
        UUID | None, msgspec.Meta(description="The fan-out's job: GET /api/jobs/{id}, jobs.{id}")
    ]
    created_by: UUID | None
    created_at: datetime
    finished_at: datetime | None
    recipients: Annotated[int, msgspec.Meta(description="Residents sent at least one message")]
    skipped: Annotated[
        int, msgspec.Meta(description="Residents no chosen channel reaches (opted out, no phone)")
    ]
    messages: Annotated[int, msgspec.Meta(description="Messages queued so far")]
    delivery: DeliveryCounts


class AnnouncementPage(Page):
    items: list[AnnouncementView]


def announcement_view(announcement: Announcement, delivery: DeliveryCounts) -> AnnouncementView:
    audience = announcement.audience
    return AnnouncementView(
        id=announcement.id,
        title=announcement.title,
        body=announcement.body,
        audience=AudienceView(
            kind=audience.kind,
            building_id=audience.building_id,
            floor=audience.floor,
            resident_ids=list(audience.resident_ids),
        ),
        channels=sorted(announcement.channels),
        state=announcement.state,
        job_id=announcement.job_id,
        created_by=announcement.created_by,
        created_at=announcement.created_at,
        finished_at=announcement.finished_at,
        recipients=announcement.recipients,
        skipped=announcement.skipped,
        messages=announcement.messages,
        delivery=delivery,
    )
