"""The bookings tasks on the in-process broker: a request is allocated by the kicked task, and
unpaid holds are released on a schedule."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID

from application.bookings.allocation import RESUME_TASK
from application.bookings.commands import PlaceClosureCommand, RequestBookingCommand
from application.bookings.requests import ALLOCATE_TASK
from application.bookings.waitlist import EXPIRE_HOLDS_TASK, OFFER_BEDS_TASK, OFFER_TASK
from application.housing.commands import (
    CreateBuildingCommand,
    CreateRoomCommand,
    MoneyInput,
    RegisterResidentCommand,
)
from application.housing.views import RoomFilter
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from domain.bookings.closures import ClosureTarget
from domain.bookings.model import BookingState
from domain.housing.model import RoomType
from entrypoints.container import Container
from entrypoints.worker.scheduler import declared_schedules
from entrypoints.worker.tasks import prepare_broker
from tests.fakes import FixedClock, InMemoryBookingStore

STAFF = Principal(UUID(int=1), Role.STAFF)


def test_expiry_and_resumption_run_every_minute_allocation_and_offers_are_tasks(
    container: Container,
) -> None:
    broker = prepare_broker(container)

    assert broker.find_task(ALLOCATE_TASK) is not None
    assert broker.find_task(OFFER_TASK) is not None
    for task in (EXPIRE_HOLDS_TASK, RESUME_TASK):
        schedule = {"cron": "* * * * *", "schedule_id": task}
        assert (task, schedule) in declared_schedules(broker)


async def _a_room_and_resident(container: Container) -> UUID:
    housing = container.housing
    building = await housing.create_building()(
        CreateBuildingCommand(code="NH", name="North", address="1 Road", floors=2)
    )
    await housing.create_room()(
        CreateRoomCommand(
            building_id=building.id,
            number="101",
            floor=1,
            type=RoomType.SINGLE,
            nightly_rate=MoneyInput(amount=Decimal("40"), currency="EUR"),
        )
    )
    resident = await housing.register_resident()(
        RegisterResidentCommand(
            student_id="001", first_name="Ada", last_name="Okafor", email="ada@example.edu"
        )
    )
    return resident.id


async def test_a_request_is_allocated_by_its_task_and_expires_unpaid(
    container: Container, booking_store: InMemoryBookingStore, clock: FixedClock
) -> None:
    resident_id = await _a_room_and_resident(container)
    container.background_tasks.reset_override()  # the real adapter, on the in-process broker
    broker = prepare_broker(container)
    await broker.startup()
    try:
        command = RequestBookingCommand(
            resident_id=resident_id, starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19)
        )
        requested = await container.bookings.request_booking()(STAFF, command)
        await broker.wait_all()  # type: ignore[attr-defined]
        held = booking_store.rows[requested.id]
        clock.advance(timedelta(minutes=30))
        expire = broker.find_task(EXPIRE_HOLDS_TASK)
        assert expire is not None
        await (await expire.kiq()).wait_result(timeout=5)
    finally:
        await broker.shutdown()

    assert held.state is BookingState.HELD
    assert booking_store.rows[requested.id].state is BookingState.EXPIRED


async def test_a_lifted_closure_offers_its_bed_through_the_offer_beds_task(
    container: Container, booking_store: InMemoryBookingStore
) -> None:
    resident_id = await _a_room_and_resident(container)
    rooms = (await container.housing.list_rooms()(RoomFilter(), PageRequest())).items
    closure = await container.bookings.place_closure()(
        None,
        PlaceClosureCommand(
            target=ClosureTarget.ROOM,
            target_id=rooms[0].id,
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 1, 1),
            reason="renovation",
        ),
    )
    command = RequestBookingCommand(
        resident_id=resident_id, starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19)
    )
    requested = await container.bookings.request_booking()(STAFF, command)
    waitlisted = await container.bookings.allocate_booking()(requested.id)
    container.background_tasks.reset_override()  # the real adapter, on the in-process broker
    broker = prepare_broker(container)
    await broker.startup()
    try:
        assert broker.find_task(OFFER_BEDS_TASK) is not None
        await container.bookings.lift_closure()(closure.id)
        await broker.wait_all()  # type: ignore[attr-defined]
    finally:
        await broker.shutdown()

    assert waitlisted.state is BookingState.WAITLISTED
    assert booking_store.rows[requested.id].state is BookingState.HELD
