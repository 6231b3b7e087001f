from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from application.notifications.announcements import (
    GetAnnouncement,
    ListAnnouncements,
    PublishAnnouncement,
)
from application.notifications.commands import PublishAnnouncementCommand
from application.notifications.views import AnnouncementPage, AnnouncementView
from application.shared.paging import PageRequest
from domain.accounts.model import Principal
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class AnnouncementController(Controller):
    path = "/api/announcements"
    tags = ["Announcements"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Publish an announcement",
        description=described_by(PublishAnnouncement),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 422),
    )
    async def publish(
        self,
        data: JSONBody[PublishAnnouncementCommand],
        caller: NamedDependency[Principal],
        publish_announcement: NamedDependency[PublishAnnouncement],
    ) -> AnnouncementView:
        return await publish_announcement(caller, data)

    @get(
        "/",
        summary="List announcements",
        description=described_by(ListAnnouncements),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_announcements: NamedDependency[ListAnnouncements],
        page: NamedDependency[PageRequest],
    ) -> AnnouncementPage:
        return await list_announcements(page)

    @get(
        "/{announcement_id:uuid}",
        summary="Read an announcement and its delivery counts",
        description=described_by(GetAnnouncement),
        responses=problems(403, 404),
    )
    async def read(
        self,
        announcement_id: FromPath[UUID],
        get_announcement: NamedDependency[GetAnnouncement],
    ) -> AnnouncementView:
        return await get_announcement(announcement_id)
