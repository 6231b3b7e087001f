"""Use cases of announcements: publish one, fan it out in the background, read them."""

import logging
from dataclasses import replace
from datetime import date
from uuid import UUID

from application.jobs.reporter import JobReporter
from application.notifications.commands import PublishAnnouncementCommand
from application.notifications.notifier import Notifier
from application.notifications.ports import (
    AnnouncementQueries,
    AnnouncementsUnitOfWorkFactory,
    AudienceDirectory,
)
from application.notifications.views import (
    AnnouncementPage,
    AnnouncementView,
    DeliveryCounts,
    announcement_view,
)
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.notifications.announcements import (
    Announcement,
    Audience,
    ContactDetails,
    addresses_for,
    advance,
    finish,
    new_announcement,
)
from domain.notifications.model import Channel, Notification
from domain.shared.errors import InvalidValue, NotFound

logger = logging.getLogger(__name__)

FAN_OUT_TASK = "announcements.fan_out"
RESUME_TASK = "announcements.resume"
FAN_OUT_JOB = "announcements.fan_out"
# Residents per transaction: large enough that 10,000 residents take a few dozen commits, small
# enough that one transaction's notifications stay a modest write.
FAN_OUT_BATCH = 250


async def _view(queries: AnnouncementQueries, announcement_id: UUID) -> AnnouncementView:
    view = await queries.announcement(announcement_id)
    if view is None:
        raise NotFound("announcement", announcement_id)
    return view


class PublishAnnouncement:
    """Publishes an announcement and starts its fan-out in the background (202).

    - the audience is every active resident, the residents living in one building or on one of
      its floors (checked in, or confirmed for a stay that includes the day of the fan-out), or
      a list of up to 1000 residents;
    - each resident gets the announcement on each channel chosen (`email`, `sms`) that they
      opted in to and have an address for; SMS texts are cut to two messages;
    - an unknown building, a floor the building does not have, or a listed resident who does
      not exist answers 422 naming the field;
    - the fan-out is a job (`GET /api/jobs/{job_id}`, pushed on `jobs.{job_id}`); the counts of
      queued, sent and failed messages are read at `GET /api/announcements/{id}`.
    """

    def __init__(
        self,
        uow: AnnouncementsUnitOfWorkFactory,
        directory: AudienceDirectory,
        jobs: JobReporter,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock

    async def __call__(
        self, caller: Principal, command: PublishAnnouncementCommand
    ) -> AnnouncementView:
        given = command.audience
        announcement = new_announcement(
            command.title,
            command.body,
            Audience(given.kind, given.building_id, given.floor, tuple(given.resident_ids)),
            command.channels,
            self._clock.now(),
            created_by=caller.user_id,
        )
        await self._check_exists(announcement.audience)
        job_id = await self._jobs.create(
            FAN_OUT_JOB, {"announcement_id": str(announcement.id)}, caller.user_id
        )
        announcement = replace(announcement, job_id=job_id)
        async with self._uow() as uow:
            await uow.announcements.add(announcement)
            await uow.commit()
        await self._start_fan_out(announcement.id)
        return announcement_view(announcement, DeliveryCounts(queued=0, sent=0, failed=0))

    async def _check_exists(self, audience: Audience) -> None:
        if audience.building_id is not None:
            floors = await self._directory.building_floors(audience.building_id)
            if floors is None:
                raise InvalidValue("audience.building_id", "names no building")
            if audience.floor is not None and audience.floor > floors:
                raise InvalidValue("audience.floor", f"the building has {floors} floors")
        unknown = await self._directory.unknown_residents(audience.resident_ids)
        if unknown:
            index = audience.resident_ids.index(unknown[0])
            raise InvalidValue(
                f"audience.resident_ids[{index}]", f"names no resident ({unknown[0]})"
            )

    async def _start_fan_out(self, announcement_id: UUID) -> None:
        # The announcement is stored: if the broker cannot take the task now, the scheduled
        # resume starts the fan-out within a minute, so the caller still gets its 202.
        try:
            await self._tasks.enqueue(FAN_OUT_TASK, announcement_id=str(announcement_id))
        except Exception as error:  # whatever the broker's trouble, the announcement is saved
            logger.warning("could not start fan-out of %s now (%s)", announcement_id, error)


class FanOutAnnouncement:
    """Queues an announcement's notifications, a batch of residents per transaction.

    Safe to run twice, or twice at once: each batch's notifications and the cursor that says
    the batch is done commit together, and a batch whose cursor another run has moved meanwhile
    is rolled back, so no resident gets a message twice."""

    def __init__(
        self,
        uow: AnnouncementsUnitOfWorkFactory,
        directory: AudienceDirectory,
        notifier: Notifier,
        jobs: JobReporter,
        clock: Clock,
        batch_size: int = FAN_OUT_BATCH,
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._notifier = notifier
        self._jobs = jobs
        self._clock = clock
        self._batch_size = batch_size

    async def __call__(self, announcement_id: UUID) -> None:
        async with self._uow() as uow:
            announcement = await uow.announcements.get(announcement_id)
        if announcement is None:
            raise NotFound("announcement", announcement_id)
        if announcement.finished:
            return
        job_id = announcement.job_id
        if job_id is not None:
            await self._jobs.start(job_id)
        today = self._clock.now().date()
        total = await self._directory.count(announcement.audience, today)
        while (outcome := await self._next_batch(announcement_id, today)) is not None:
            await self._notifier.deliver_soon()
            if outcome.finished:
                if job_id is not None:
                    await self._jobs.succeed(job_id, _summary(outcome))
                return
            if job_id is not None:
                done = outcome.recipients + outcome.skipped
                await self._jobs.progress(job_id, done, max(total, done))

    async def _next_batch(self, announcement_id: UUID, today: date) -> Announcement | None:
        """Covers the next batch (or finishes); None when another run got there first."""
        async with self._uow() as uow:
            current = await uow.announcements.get(announcement_id)
            if current is None or current.finished:
                return None
            batch = await self._directory.members(
                current.audience, today, current.cursor, self._batch_size
            )
            if batch:
                await uow.outbox.add_all(self._notifications(current, batch))
                changed = advance(current, batch)
            else:
                changed = finish(current, self._clock.now())
            if not await uow.announcements.save_progress(changed, current.cursor):
                return None
            await uow.commit()
        return changed

    def _notifications(
        self, announcement: Announcement, batch: list[ContactDetails]
    ) -> list[Notification]:
        data = {"title": announcement.title, "body": announcement.body}
        source = f"announcement:{announcement.id}"
        queued = []
        for contact in batch:
            for channel, address in addresses_for(contact, announcement.channels):
                compose = self._notifier.email if channel is Channel.EMAIL else self._notifier.sms
                queued.append(
                    compose(
                        "announcement", to=address, name=contact.full_name, data=data, source=source
                    )
                )
        return queued


def _summary(announcement: Announcement) -> dict[str, int]:
    return {
        "recipients": announcement.recipients,
        "skipped": announcement.skipped,
        "messages": announcement.messages,
    }


class ResumeAnnouncements:
    """Finishes every fan-out that stopped or never started (a worker that died, a broker that
    was down when the announcement was published). Run on a schedule."""

    def __init__(self, uow: AnnouncementsUnitOfWorkFactory, fan_out: FanOutAnnouncement) -> None:
        self._uow = uow
        self._fan_out = fan_out

    async def __call__(self, limit: int = 100) -> int:
        async with self._uow() as uow:
            pending = await uow.announcements.unfinished(limit)
        for announcement_id in pending:
            await self._fan_out(announcement_id)
        return len(pending)


class GetAnnouncement:
    """Reads an announcement with the delivery counts of its messages."""

    def __init__(self, queries: AnnouncementQueries) -> None:
        self._queries = queries

    async def __call__(self, announcement_id: UUID) -> AnnouncementView:
        return await _view(self._queries, announcement_id)


class ListAnnouncements:
    """Lists announcements, the newest first."""

    def __init__(self, queries: AnnouncementQueries) -> None:
        self._queries = queries

    async def __call__(self, page: PageRequest) -> AnnouncementPage:
        return await self._queries.announcements(page)
