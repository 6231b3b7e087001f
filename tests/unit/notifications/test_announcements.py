"""Announcements on the in-memory fakes: who an audience reaches, what each resident gets, and a
fan-out that runs in batches, stops, resumes, or runs twice at once without sending twice."""

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from application.jobs.reporter import JobReporter
from application.notifications.announcements import (
    FAN_OUT_TASK,
    FanOutAnnouncement,
    GetAnnouncement,
    PublishAnnouncement,
    ResumeAnnouncements,
)
from application.notifications.commands import AudienceInput, PublishAnnouncementCommand
from application.notifications.notifier import Notifier
from application.notifications.views import AnnouncementView
from domain.accounts.model import Principal, Role
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Building, Resident, ResidentStatus, Room, RoomType
from domain.jobs.model import JobState
from domain.notifications.announcements import AudienceKind
from domain.notifications.model import Channel
from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue
from domain.shared.money import Money
from tests.fakes import (
    FixedClock,
    InMemoryAnnouncementQueries,
    InMemoryAudienceDirectory,
    InMemoryBookingStore,
    InMemoryHousingStore,
    InMemoryJobRepository,
    InMemoryNotificationStore,
    InMemoryNotificationsUnitOfWork,
    RecordingBackgroundTasks,
    RecordingEventBus,
)

STAFF = Principal(user_id=UUID(int=7), role=Role.STAFF)


class Campus:
    """One building of `floors` floors with single rooms, the fakes, and the use cases."""

    def __init__(self, batch_size: int = 3) -> None:
        self.clock = FixedClock()
        self.housing = InMemoryHousingStore(self.clock)
        self.bookings = InMemoryBookingStore()
        self.notifications = InMemoryNotificationStore()
        self.jobs = InMemoryJobRepository()
        self.tasks = RecordingBackgroundTasks()
        self.directory = InMemoryAudienceDirectory(self.housing, self.bookings)
        self.reporter = reporter = JobReporter(self.jobs, RecordingEventBus(), self.clock)
        notifier = Notifier(self.clock, self.tasks, {"login_url": "https://example.edu"})
        self.publish = PublishAnnouncement(
            self.uow, self.directory, reporter, self.tasks, self.clock
        )
        self.fan_out = FanOutAnnouncement(
            self.uow, self.directory, notifier, reporter, self.clock, batch_size
        )
        self.resume = ResumeAnnouncements(self.uow, self.fan_out)
        self.read = GetAnnouncement(InMemoryAnnouncementQueries(self.notifications))
        self.building = self.another_building("NH", floors=3)

    def uow(self) -> InMemoryNotificationsUnitOfWork:
        return InMemoryNotificationsUnitOfWork(self.notifications)

    def another_building(self, code: str, floors: int) -> Building:
        building = Building(code=code, name=f"Hall {code}", address="1 Road", floors=floors)
        self.housing.tables.buildings[building.id] = building
        return building

    def resident(self, name: str, **changes: Any) -> Resident:
        values: dict[str, Any] = {
            "student_id": name,
            "first_name": name.title(),
            "last_name": "Doe",
            "email": f"{name}@example.edu",
            "status": ResidentStatus.ACTIVE,
            "phone": "+447700900123",
        }
        resident = Resident(**(values | changes))
        self.housing.tables.residents[resident.id] = resident
        return resident

    def living(
        self,
        resident: Resident,
        floor: int = 1,
        state: BookingState = BookingState.CHECKED_IN,
        building: Building | None = None,
        days_from_today: int = -10,
    ) -> Resident:
        """Gives the resident a bed in a room of their own, booked from `days_from_today`."""
        building = building or self.building
        room = Room(
            building_id=building.id,
            number=f"{floor}{len(self.housing.tables.rooms):02d}",
            floor=floor,
            type=RoomType.SINGLE,
            nightly_rate=Money.of("30", "EUR"),
        )
        bed = Bed(room_id=room.id, label="A")
        self.housing.tables.rooms[room.id] = room
        self.housing.tables.beds[bed.id] = bed
        start = self.clock.now().date() + timedelta(days=days_from_today)
        booking = Booking(
            resident_id=resident.id,
            stay=DateRange(start, start + timedelta(days=90)),
            requested_at=self.clock.now(),
            state=state,
            bed_id=bed.id,
        )
        self.bookings.rows[booking.id] = booking
        return resident

    async def announce(
        self, kind: AudienceKind, channels: list[Channel] | None = None, **audience: Any
    ) -> AnnouncementView:
        command = PublishAnnouncementCommand(
            title="Water off",
            body="On Thursday from nine to noon.",
            audience=AudienceInput(kind=kind, **audience),
            channels=channels or [Channel.EMAIL],
        )
        return await self.publish(STAFF, command)

    async def announce_and_fan_out(self, kind: AudienceKind, **options: Any) -> AnnouncementView:
        published = await self.announce(kind, **options)
        await self.fan_out(published.id)
        return await self.read(published.id)

    def sent_to(self) -> Counter[tuple[Channel, str]]:
        return Counter((n.channel, n.recipient_address) for n in self.notifications.rows.values())


async def test_publishing_stores_the_announcement_starts_a_job_and_kicks_the_fan_out() -> None:
    campus = Campus()

    published = await campus.announce(AudienceKind.ALL_RESIDENTS)

    assert published.messages == 0
    assert campus.tasks.enqueued == [(FAN_OUT_TASK, {"announcement_id": str(published.id)})]
    assert published.job_id is not None
    assert campus.jobs.jobs[published.job_id].state is JobState.QUEUED
    assert campus.jobs.jobs[published.job_id].created_by == STAFF.user_id


async def test_all_residents_means_the_active_ones() -> None:
    campus = Campus()
    campus.resident("ada")
    campus.resident("bea")
    campus.resident("cy", status=ResidentStatus.FORMER)
    campus.resident("dee", status=ResidentStatus.APPLICANT)

    done = await campus.announce_and_fan_out(AudienceKind.ALL_RESIDENTS)

    assert set(campus.sent_to()) == {
        (Channel.EMAIL, "ada@example.edu"),
        (Channel.EMAIL, "bea@example.edu"),
    }
    assert (done.recipients, done.messages, done.skipped) == (2, 2, 0)
    assert done.delivery.queued == 2


async def test_a_building_means_who_lives_there_today() -> None:
    campus = Campus()
    elsewhere = campus.another_building("SH", floors=2)
    campus.living(campus.resident("in"))
    campus.living(campus.resident("confirmed"), state=BookingState.CONFIRMED)
    campus.living(campus.resident("future"), state=BookingState.CONFIRMED, days_from_today=5)
    campus.living(campus.resident("held"), state=BookingState.HELD)
    campus.living(campus.resident("left"), state=BookingState.CHECKED_OUT)
    campus.living(campus.resident("other"), building=elsewhere)

    await campus.announce_and_fan_out(AudienceKind.BUILDING, building_id=campus.building.id)

    assert {address for _, address in campus.sent_to()} == {
        "in@example.edu",
        "confirmed@example.edu",
    }


async def test_a_floor_means_who_lives_on_that_floor() -> None:
    campus = Campus()
    campus.living(campus.resident("one"), floor=1)
    campus.living(campus.resident("two"), floor=2)

    await campus.announce_and_fan_out(AudienceKind.FLOOR, building_id=campus.building.id, floor=2)

    assert list(campus.sent_to()) == [(Channel.EMAIL, "two@example.edu")]


async def test_each_resident_gets_the_channels_they_opted_in_to() -> None:
    campus = Campus()
    both = campus.resident("both", sms_opt_in=True)
    mail_only = campus.resident("mail")
    text_only = campus.resident("text", email_opt_in=False, sms_opt_in=True)
    no_phone = campus.resident("nophone", email_opt_in=False, sms_opt_in=True, phone=None)
    ids = [r.id for r in (both, mail_only, text_only, no_phone)]

    done = await campus.announce_and_fan_out(
        AudienceKind.RESIDENTS, channels=[Channel.EMAIL, Channel.SMS], resident_ids=ids
    )

    assert campus.sent_to() == Counter(
        {
            (Channel.EMAIL, "both@example.edu"): 1,
            (Channel.SMS, "+447700900123"): 2,
            (Channel.EMAIL, "mail@example.edu"): 1,
        }
    )
    assert (done.recipients, done.messages, done.skipped) == (3, 4, 1)


async def test_the_fan_out_runs_in_batches_reports_progress_and_finishes_its_job() -> None:
    campus = Campus(batch_size=3)
    for index in range(7):
        campus.resident(f"r{index}")

    done = await campus.announce_and_fan_out(AudienceKind.ALL_RESIDENTS)

    assert done.state == "fanned_out"
    assert done.finished_at == campus.clock.now()
    assert len(campus.notifications.rows) == 7
    # The relay is kicked after each batch's commit, not once at the very end.
    assert campus.tasks.names.count("notifications.relay") == 4
    assert done.job_id is not None
    job = campus.jobs.jobs[done.job_id]
    assert job.state is JobState.SUCCEEDED
    assert job.result == {"recipients": 7, "skipped": 0, "messages": 7}
    assert job.processed == job.total == 7


async def test_running_the_fan_out_again_sends_nothing_more() -> None:
    campus = Campus()
    for index in range(5):
        campus.resident(f"r{index}")
    done = await campus.announce_and_fan_out(AudienceKind.ALL_RESIDENTS)

    await campus.fan_out(done.id)
    assert await campus.resume() == 0

    assert len(campus.notifications.rows) == 5


async def test_two_fan_outs_at_once_queue_each_message_once() -> None:
    campus = Campus(batch_size=2)
    for index in range(9):
        campus.resident(f"r{index}")
    published = await campus.announce(AudienceKind.ALL_RESIDENTS)

    await asyncio.gather(campus.fan_out(published.id), campus.fan_out(published.id))

    assert set(campus.sent_to().values()) == {1}
    assert len(campus.notifications.rows) == 9
    done = await campus.read(published.id)
    assert (done.state, done.recipients) == ("fanned_out", 9)


async def test_a_fan_out_that_stopped_half_way_is_resumed_where_it_stopped() -> None:
    campus = Campus(batch_size=2)
    for index in range(5):
        campus.resident(f"r{index}")
    published = await campus.announce(AudienceKind.ALL_RESIDENTS)
    broken = FanOutAnnouncement(
        campus.uow, campus.directory, _FailsAfterOneBatch(campus), campus.reporter, campus.clock, 2
    )
    with pytest.raises(RuntimeError):
        await broken(published.id)
    # It died right after committing its second batch.
    assert len(campus.notifications.rows) == 4

    assert await campus.resume() == 1

    assert set(campus.sent_to().values()) == {1}
    assert len(campus.notifications.rows) == 5


class _FailsAfterOneBatch(Notifier):
    """A notifier whose first relay kick works and whose second raises: the worker died."""

    def __init__(self, campus: Campus) -> None:
        super().__init__(campus.clock, campus.tasks, {"login_url": "https://example.edu"})
        self._kicks = 0

    async def deliver_soon(self) -> None:
        self._kicks += 1
        if self._kicks > 1:
            raise RuntimeError("worker killed")


@pytest.mark.parametrize(
    ("audience", "field"),
    [
        ({"kind": AudienceKind.BUILDING, "building_id": UUID(int=1)}, "audience.building_id"),
        ({"kind": AudienceKind.FLOOR, "floor": 1}, "audience.building_id"),
        ({"kind": AudienceKind.RESIDENTS}, "audience.resident_ids"),
        ({"kind": AudienceKind.ALL_RESIDENTS, "floor": 2}, "audience.floor"),
    ],
)
async def test_an_audience_that_names_nothing_real_is_refused(
    audience: dict[str, Any], field: str
) -> None:
    campus = Campus()

    with pytest.raises(InvalidValue) as refused:
        await campus.announce(**audience)

    assert refused.value.field == field
    assert campus.notifications.announcements == {}
    assert campus.jobs.jobs == {}


async def test_a_floor_the_building_lacks_and_an_unknown_listed_resident_are_named() -> None:
    campus = Campus()
    known = campus.resident("ada")

    with pytest.raises(InvalidValue) as too_high:
        await campus.announce(AudienceKind.FLOOR, building_id=campus.building.id, floor=4)
    with pytest.raises(InvalidValue) as unknown:
        await campus.announce(AudienceKind.RESIDENTS, resident_ids=[known.id, UUID(int=5)])

    assert too_high.value.field == "audience.floor"
    assert unknown.value.field == "audience.resident_ids[1]"
