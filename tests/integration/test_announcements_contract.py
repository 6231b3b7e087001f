"""The audience directory and the announcement store answer alike on the fakes, SQLite and
PostgreSQL: who a building, a floor, all residents or a list means, in id order and in pages;
and a fan-out's progress is stored only over the cursor it was read with."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.notifications.announcements import (
    SqlAlchemyAnnouncementQueries,
    SqlAlchemyAnnouncementsUnitOfWork,
)
from adapters.sqlalchemy.notifications.audience import SqlAlchemyAudienceDirectory
from application.bookings.ports import BookingsUnitOfWork
from application.notifications.notifier import Notifier
from application.notifications.ports import (
    AnnouncementQueries,
    AnnouncementsUnitOfWork,
    AudienceDirectory,
)
from application.shared.paging import PageRequest
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Building, Resident, ResidentStatus, Room, RoomType
from domain.notifications.announcements import (
    Audience,
    AudienceKind,
    advance,
    finish,
    new_announcement,
)
from domain.notifications.model import Channel
from domain.shared.dates import DateRange
from domain.shared.money import Money
from tests.fakes import (
    FixedClock,
    InMemoryAnnouncementQueries,
    InMemoryAudienceDirectory,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
    InMemoryHousingQueries,
    InMemoryNotificationStore,
    InMemoryNotificationsUnitOfWork,
    RecordingBackgroundTasks,
)
from tests.integration.housing_backends import Backend, engine_for, saved

TODAY = date(2026, 10, 1)
NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Ports:
    housing: Backend
    bookings: Callable[[], BookingsUnitOfWork]
    announcements: Callable[[], AnnouncementsUnitOfWork]
    directory: AudienceDirectory
    queries: AnnouncementQueries


@pytest.fixture
def ports(backend: Backend, request: pytest.FixtureRequest) -> Ports:
    if backend.name == "memory":
        bookings = InMemoryBookingStore()
        notifications = InMemoryNotificationStore()
        assert isinstance(backend.queries, InMemoryHousingQueries)
        housing_store = backend.queries.store
        return Ports(
            housing=backend,
            bookings=lambda: InMemoryBookingsUnitOfWork(bookings),
            announcements=lambda: InMemoryNotificationsUnitOfWork(notifications),
            directory=InMemoryAudienceDirectory(housing_store, bookings),
            queries=InMemoryAnnouncementQueries(notifications),
        )
    engine = engine_for(request, backend.name)
    return Ports(
        housing=backend,
        bookings=lambda: SqlAlchemyBookingsUnitOfWork(engine),
        announcements=lambda: SqlAlchemyAnnouncementsUnitOfWork(engine),
        directory=SqlAlchemyAudienceDirectory(engine),
        queries=SqlAlchemyAnnouncementQueries(engine),
    )


def person(name: str, **changes: Any) -> Resident:
    values: dict[str, Any] = {
        "student_id": name,
        "first_name": name.title(),
        "last_name": "Doe",
        "email": f"{name}@example.edu",
        "status": ResidentStatus.ACTIVE,
    }
    return Resident(**(values | changes))


async def lodge(
    ports: Ports, building: Building, floor: int, *stays: tuple[Resident, BookingState, int]
) -> None:
    """A room on `floor` with one bed per stay: (resident, state, first night relative to TODAY)."""
    room = Room(
        building_id=building.id,
        number=f"{floor}{len(stays):02d}{stays[0][0].student_id}",
        floor=floor,
        type=RoomType.QUAD,
        nightly_rate=Money.of("30", "EUR"),
    )
    beds = [Bed(room_id=room.id, label=chr(ord("A") + i)) for i in range(len(stays))]
    await saved(ports.housing, room, *beds)
    async with ports.bookings() as uow:
        for (resident, state, offset), bed in zip(stays, beds, strict=True):
            first = TODAY + timedelta(days=offset)
            await uow.bookings.add(
                Booking(
                    resident_id=resident.id,
                    stay=DateRange(first, first + timedelta(days=30)),
                    requested_at=NOW,
                    state=state,
                    bed_id=bed.id,
                    hold_expires_at=NOW + timedelta(minutes=30)
                    if state is BookingState.HELD
                    else None,
                )
            )
        await uow.commit()


async def emails(
    ports: Ports, audience: Audience, after: UUID | None = None, limit: int = 100
) -> list[str]:
    return [c.email for c in await ports.directory.members(audience, TODAY, after, limit)]


async def test_audiences_mean_the_same_residents_on_every_backend(ports: Ports) -> None:
    hall = Building(code="NH", name="North", address="1 Road", floors=4)
    other = Building(code="SH", name="South", address="2 Road", floors=4)
    people = {
        name: person(name) for name in ("in1", "in2", "up", "soon", "held", "gone", "away", "idle")
    }
    people["idle"] = replace(people["idle"], status=ResidentStatus.APPLICANT)
    await saved(ports.housing, hall, other, *people.values())
    await lodge(
        ports,
        hall,
        1,
        (people["in1"], BookingState.CHECKED_IN, -40),  # stayed past the contract: still there
        (people["in2"], BookingState.CONFIRMED, -1),
        (people["soon"], BookingState.CONFIRMED, 3),
        (people["held"], BookingState.HELD, -1),
    )
    await lodge(ports, hall, 3, (people["up"], BookingState.CHECKED_IN, -2))
    await lodge(ports, hall, 2, (people["gone"], BookingState.CHECKED_OUT, -5))
    await lodge(ports, other, 1, (people["away"], BookingState.CHECKED_IN, -5))

    building = Audience(AudienceKind.BUILDING, building_id=hall.id)
    floor = Audience(AudienceKind.FLOOR, building_id=hall.id, floor=3)
    listed = Audience(AudienceKind.RESIDENTS, resident_ids=(people["idle"].id, UUID(int=9)))
    everyone = Audience(AudienceKind.ALL_RESIDENTS)

    by_id = sorted(people.values(), key=lambda r: r.id)
    assert await emails(ports, building) == [
        r.email for r in by_id if r.student_id in {"in1", "in2", "up"}
    ]
    assert await emails(ports, floor) == ["up@example.edu"]
    assert await emails(ports, listed) == ["idle@example.edu"]
    assert await emails(ports, everyone) == [r.email for r in by_id if r.student_id != "idle"]
    assert await ports.directory.count(building, TODAY) == 3
    assert await ports.directory.count(everyone, TODAY) == 7


async def test_members_come_in_pages_after_a_cursor(ports: Ports) -> None:
    people = sorted((person(f"p{i}") for i in range(7)), key=lambda r: r.id)
    await saved(ports.housing, *people)
    everyone = Audience(AudienceKind.ALL_RESIDENTS)

    first = await ports.directory.members(everyone, TODAY, None, 3)
    second = await ports.directory.members(everyone, TODAY, first[-1].resident_id, 3)
    last = await ports.directory.members(everyone, TODAY, people[-1].id, 3)

    assert [c.resident_id for c in first + second] == [r.id for r in people[:6]]
    assert last == []


async def test_contact_details_carry_the_opt_ins(ports: Ports) -> None:
    ada = person("ada", phone="+447700900123", email_opt_in=False, sms_opt_in=True)
    await saved(ports.housing, ada)

    [contact] = await ports.directory.members(
        Audience(AudienceKind.RESIDENTS, resident_ids=(ada.id,)), TODAY, None, 5
    )

    assert (contact.phone, contact.email_opt_in, contact.sms_opt_in) == (
        "+447700900123",
        False,
        True,
    )
    assert contact.full_name == "Ada Doe"


async def test_buildings_and_residents_are_looked_up(ports: Ports) -> None:
    hall = Building(code="NH", name="North", address="1 Road", floors=4)
    ada = person("ada")
    await saved(ports.housing, hall, ada)

    assert await ports.directory.building_floors(hall.id) == 4
    assert await ports.directory.building_floors(UUID(int=3)) is None
    assert await ports.directory.unknown_residents([UUID(int=8), ada.id, UUID(int=2)]) == [
        UUID(int=8),
        UUID(int=2),
    ]


async def test_progress_is_stored_only_over_the_cursor_it_was_read_with(ports: Ports) -> None:
    announcement = new_announcement(
        "Title", "Body", Audience(AudienceKind.ALL_RESIDENTS), [Channel.EMAIL, Channel.SMS], NOW
    )
    ada, bea = sorted((person("ada"), person("bea")), key=lambda r: r.id)
    await saved(ports.housing, ada, bea)
    batch = await ports.directory.members(announcement.audience, TODAY, None, 1)
    async with ports.announcements() as uow:
        await uow.announcements.add(announcement)
        await uow.commit()

    moved = advance(announcement, batch)
    async with ports.announcements() as uow:
        assert await uow.announcements.save_progress(moved, None)
        assert not await uow.announcements.save_progress(moved, None)  # a second run lost
        await uow.commit()
    done = finish(moved, NOW)
    async with ports.announcements() as uow:
        assert await uow.announcements.save_progress(done, moved.cursor)
        await uow.commit()

    async with ports.announcements() as uow:
        assert await uow.announcements.get(announcement.id) == done
        assert await uow.announcements.unfinished(10) == []
    view = await ports.queries.announcement(announcement.id)
    assert view is not None
    assert (view.recipients, view.messages, view.state) == (1, 1, "fanned_out")
    assert view.channels == ["email", "sms"]
    page = await ports.queries.announcements(PageRequest(limit=5))
    assert [item.id for item in page.items] == [announcement.id]


async def test_a_page_of_announcements_counts_each_one_s_own_messages(ports: Ports) -> None:
    audience = Audience(AudienceKind.ALL_RESIDENTS)
    older = new_announcement("Older", "Body", audience, [Channel.EMAIL], NOW)
    newer = new_announcement("Newer", "Body", audience, [Channel.EMAIL], NOW + timedelta(hours=1))
    notifier = Notifier(FixedClock(NOW), RecordingBackgroundTasks(), {})
    data = {"title": "T", "body": "B"}
    async with ports.announcements() as uow:
        await uow.announcements.add(older)
        await uow.announcements.add(newer)
        await uow.outbox.add_all(
            [
                notifier.email("announcement", to=f"r{i}@example.edu", data=data, source=source)
                for i, source in enumerate(
                    [f"announcement:{older.id}"] * 2 + [f"announcement:{newer.id}"]
                )
            ]
        )
        await uow.commit()

    page = await ports.queries.announcements(PageRequest(limit=5))

    assert [(item.title, item.delivery.queued) for item in page.items] == [
        ("Newer", 1),
        ("Older", 2),
    ]
