"""An announcement to a building of 300 residents, end to end on PostgreSQL: published through
the use case, fanned out by its task on the in-process broker, relayed to a real SMTP server
(aiosmtpd) and counted back. Residents of another building, or who have left, get nothing."""

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from application.notifications.commands import AudienceInput, PublishAnnouncementCommand
from application.notifications.views import AnnouncementView
from domain.accounts.model import Principal, Role
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, Building, Resident, Room, RoomType
from domain.notifications.announcements import AudienceKind
from domain.shared.dates import DateRange
from domain.shared.money import Money
from entrypoints.container import Container
from entrypoints.settings import load_settings
from entrypoints.worker.tasks import prepare_broker
from tests.integration.housing_backends import saved, sql_backend
from tests.integration.smtp_server import RecordingHandler, running_server

IN_HALL = 300
SETTLE_SECONDS = 60
ROOMS_PER_FLOOR = 20
OFFICE = Principal(user_id=UUID(int=1), role=Role.STAFF)


async def house(
    engine: AsyncEngine, code: str, count: int, state: BookingState = BookingState.CHECKED_IN
) -> tuple[Building, list[Resident]]:
    """A building with `count` residents, four to a room, each with a booking in `state` for a
    stay that began a week ago."""
    building = Building(code=code, name=f"Hall {code}", address="1 Road", floors=5)
    people = [
        Resident(
            student_id=f"{code}{index:05d}",
            first_name="Student",
            last_name=f"Number{index}",
            email=f"{code.lower()}{index}@example.edu",
        )
        for index in range(count)
    ]
    rooms = [
        Room(
            building_id=building.id,
            number=f"{1 + number // ROOMS_PER_FLOOR}{number:03d}",
            floor=1 + number // ROOMS_PER_FLOOR,
            type=RoomType.QUAD,
            nightly_rate=Money.of("30", "EUR"),
        )
        for number in range((count + 3) // 4)
    ]
    beds = [Bed(room_id=room.id, label=label) for room in rooms for label in "ABCD"]
    await saved(sql_backend("postgresql", engine), building, *rooms, *beds, *people)
    now = datetime.now(UTC)
    first_night = now.date() - timedelta(days=7)
    async with SqlAlchemyBookingsUnitOfWork(engine) as uow:
        for person, bed in zip(people, beds, strict=False):
            stay = DateRange(first_night, first_night + timedelta(days=90))
            booking = Booking(
                resident_id=person.id, stay=stay, requested_at=now, state=state, bed_id=bed.id
            )
            await uow.bookings.add(booking)
        await uow.commit()
    return building, people


async def settled(container: Container, announcement_id: UUID) -> AnnouncementView:
    """The announcement once fanned out with no message left queued; the fan-out and the relay
    runs it kicks are tasks on the in-process broker, so this polls until they are done."""
    read = container.notifications.get_announcement()
    deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
    while True:
        view = await read(announcement_id)
        if view.finished_at is not None and view.delivery.queued == 0:
            return view
        assert asyncio.get_running_loop().time() < deadline, f"not settled: {view}"
        await asyncio.sleep(0.05)


async def test_an_announcement_to_a_building_of_300_lands_300_messages(
    postgres_engine: AsyncEngine, postgres_url: str, tmp_path: Path
) -> None:
    hall, residents = await house(postgres_engine, "NH", IN_HALL)
    await house(postgres_engine, "SH", 5)
    await house(postgres_engine, "OLD", 5, BookingState.CHECKED_OUT)
    handler = RecordingHandler()
    with running_server(handler) as (_, port):
        settings = load_settings(
            {
                "VAR_DIR": str(tmp_path / "var"),
                "SECRET_KEY": "integration-tests-only-signing-key-0123456789",
                "DATABASE_URL": postgres_url,
                "SMTP_URL": f"smtp://127.0.0.1:{port}",
            },
            dotenv=None,
        )
        container = Container(settings=settings)
        broker = prepare_broker(container)
        await broker.startup()
        try:
            command = PublishAnnouncementCommand(
                title="Fire alarm test",
                body="The alarm sounds at ten on Tuesday.",
                audience=AudienceInput(kind=AudienceKind.BUILDING, building_id=hall.id),
            )
            published = await container.notifications.publish_announcement()(OFFICE, command)
            counted = await settled(container, published.id)
        finally:
            await broker.shutdown()
            await container.engine().dispose()

    delivered_to = Counter(address for r in handler.received for address in r.rcpt_tos)
    assert delivered_to == Counter(person.email for person in residents)
    assert {r.parsed()["Subject"] for r in handler.received} == {"Fire alarm test"}
    assert (counted.state, counted.recipients, counted.messages) == ("fanned_out", IN_HALL, IN_HALL)
    assert counted.delivery.sent == IN_HALL
    assert counted.delivery.queued == counted.delivery.failed == 0
