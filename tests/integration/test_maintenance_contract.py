"""The maintenance ports keep one contract on the in-memory fakes, SQLite and PostgreSQL:
round trips, conditional updates, insert-if-absent work orders, selections and their order,
list filters, report facts, and the facts read from housing, bookings and accounts."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from application.maintenance.views import RequestFilter, RequestOrder, ScheduleFilter
from application.shared.paging import PageRequest
from domain.accounts.model import Role, User
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed
from domain.maintenance.model import (
    Category,
    HistoryEntry,
    MaintenanceRequest,
    Part,
    Priority,
    RequestState,
    Resolution,
    Technician,
)
from domain.maintenance.recurrence import Interval, Unit, parse_cron
from domain.maintenance.schedules import MaintenanceSchedule
from domain.shared.dates import DateRange
from domain.shared.money import Money
from tests.integration.housing_backends import ALL_BACKENDS, a_building, a_resident, a_room
from tests.integration.maintenance_backends import MaintenanceBackend, maintenance_backend

T0 = datetime(2026, 9, 1, 9, 0, 0, 123456, tzinfo=UTC)
PAGE = PageRequest(limit=50, offset=0)
TECH = UUID(int=77)


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> MaintenanceBackend:
    return maintenance_backend(request)


def a_request(building_id: UUID, **changes: object) -> MaintenanceRequest:
    values: dict[str, object] = {
        "building_id": building_id,
        "category": Category.PLUMBING,
        "priority": Priority.HIGH,
        "description": "The tap drips",
        "submitted_at": T0,
    }
    return MaintenanceRequest(**(values | changes))  # type: ignore[arg-type]


async def stored(backend: MaintenanceBackend, *requests: MaintenanceRequest) -> None:
    async with backend.uow() as uow:
        for request in requests:
            await uow.requests.add(request)
        await uow.commit()


async def test_a_full_request_round_trips(backend: MaintenanceBackend) -> None:
    resolution = Resolution(
        labour_hours=Decimal("1.25"),
        parts=(Part("washer", Money.of("2.50", "EUR")),),
        actual_cost=Money.of("62.50", "EUR"),
        note="new washer",
    )
    request = a_request(
        UUID(int=1),
        room_id=UUID(int=2),
        resident_id=UUID(int=3),
        submitted_by=UUID(int=4),
        state=RequestState.RESOLVED,
        technician_id=TECH,
        permission_to_enter=True,
        preferred_times="mornings",
        due_at=T0 + timedelta(hours=24),
        estimated_cost=Money.of("125.00", "EUR"),
        triaged_at=T0,
        overdue=True,
        escalation_level=2,
        resolution=resolution,
        resolved_at=T0 + timedelta(hours=3),
        rating=4,
        job_id=UUID(int=5),
    )
    await stored(backend, request)

    async with backend.uow() as uow:
        found = await uow.requests.get(request.id)

    assert found is not None
    assert replace(found, updated_at=None) == request


async def test_updates_apply_only_from_the_expected_state_and_level(
    backend: MaintenanceBackend,
) -> None:
    request = a_request(UUID(int=1))
    await stored(backend, request)
    assigned = replace(request, state=RequestState.ASSIGNED, technician_id=TECH)

    async with backend.uow() as uow:
        stale = await uow.requests.update_from(assigned, RequestState.SUBMITTED, 1)
        moved = await uow.requests.update_from(assigned, RequestState.SUBMITTED, 0)
        again = await uow.requests.update_from(assigned, RequestState.SUBMITTED, 0)
        await uow.commit()
        found = await uow.requests.get(request.id)

    assert (stale, moved, again) == (False, True, False)
    assert found is not None
    assert found.technician_id == TECH


async def test_work_orders_are_added_once_per_schedule_and_day(
    backend: MaintenanceBackend,
) -> None:
    schedule_id, day = UUID(int=9), date(2026, 9, 7)
    first = a_request(UUID(int=1), schedule_id=schedule_id, occurrence_date=day)
    twin = a_request(UUID(int=1), schedule_id=schedule_id, occurrence_date=day)
    next_week = a_request(UUID(int=1), schedule_id=schedule_id, occurrence_date=day + timedelta(7))

    async with backend.uow() as uow:
        added = [await uow.requests.add_if_absent(r) for r in (first, twin, next_week)]
        await uow.commit()
    await stored(backend, a_request(UUID(int=1)), a_request(UUID(int=1)))  # no schedule: any

    assert added == [True, False, True]
    page = await backend.queries.requests(RequestFilter(), PAGE)
    assert page.total == 4


async def test_history_keeps_the_order_it_was_recorded_in(backend: MaintenanceBackend) -> None:
    request = a_request(UUID(int=1))
    await stored(backend, request)
    entries = [
        HistoryEntry(request.id, "submit", None, RequestState.SUBMITTED, T0, UUID(int=4)),
        HistoryEntry(request.id, "triage", RequestState.SUBMITTED, RequestState.SUBMITTED, T0),
        HistoryEntry(
            request.id,
            "assign",
            RequestState.SUBMITTED,
            RequestState.ASSIGNED,
            T0,
            None,
            "by triage",
        ),
    ]

    async with backend.uow() as uow:
        for entry in entries:
            await uow.requests.record(entry)
        await uow.commit()
    async with backend.uow() as uow:
        found = await uow.requests.history(request.id)

    assert found == entries


async def test_the_periodic_selections(backend: MaintenanceBackend) -> None:
    due_soon = a_request(UUID(int=1), due_at=T0 + timedelta(hours=1), triaged_at=T0)
    due_first = a_request(UUID(int=1), due_at=T0, state=RequestState.IN_PROGRESS, triaged_at=T0)
    done = a_request(UUID(int=1), due_at=T0, state=RequestState.RESOLVED, resolved_at=T0)
    closed = a_request(UUID(int=1), due_at=T0, state=RequestState.CLOSED, resolved_at=T0)
    untriaged = a_request(UUID(int=1), submitted_at=T0 - timedelta(minutes=5))
    await stored(backend, due_soon, due_first, done, closed, untriaged)

    async with backend.uow() as uow:
        past_due = await uow.requests.past_due(T0 + timedelta(hours=1), 10)
        resolved = await uow.requests.resolved_before(T0 + timedelta(seconds=1), 10)
        waiting = await uow.requests.untriaged_before(T0 - timedelta(minutes=1), 10)

    assert [r.id for r in past_due] == [due_first.id, due_soon.id]
    assert [r.id for r in resolved] == [done.id]
    assert waiting == [untriaged.id]


async def test_technicians_and_their_open_loads(backend: MaintenanceBackend) -> None:
    technician = User("tess@example.edu", Role.TECHNICIAN, "hash", id=TECH)
    await backend.save(technician)
    profile = Technician(TECH, "Tess", frozenset({Category.PLUMBING, Category.LOCKS}))
    await stored(
        backend,
        a_request(UUID(int=1), technician_id=TECH, state=RequestState.ASSIGNED),
        a_request(UUID(int=1), technician_id=TECH, state=RequestState.ON_HOLD),
        a_request(UUID(int=1), technician_id=TECH, state=RequestState.CLOSED),
    )

    async with backend.uow() as uow:
        await uow.technicians.add(profile)
        await uow.commit()
    async with backend.uow() as uow:
        await uow.technicians.update(replace(profile, active=False))
        await uow.commit()
        loads = await uow.technicians.loads()
        found = await uow.technicians.get(TECH)
    page = await backend.queries.technicians(PAGE)

    assert found == replace(profile, active=False)
    assert [(x.technician.user_id, x.open_assignments) for x in loads] == [(TECH, 2)]
    assert [(t.user_id, t.open_assignments, t.skills) for t in page.items] == [
        (TECH, 2, [Category.LOCKS, Category.PLUMBING])
    ]
    async with backend.uow() as uow:
        await uow.technicians.delete(TECH)
        await uow.commit()
        assert await uow.technicians.get(TECH) is None


async def test_schedules_round_trip_and_filter(backend: MaintenanceBackend) -> None:
    weekly = MaintenanceSchedule(
        "Boiler",
        Category.HEATING,
        UUID(int=1),
        Interval(2, Unit.WEEKS),
        date(2026, 9, 1),
        lead_days=3,
        estimated_cost=Money.of("80", "EUR"),
    )
    monday = MaintenanceSchedule(
        "Alarms",
        Category.ELECTRICAL,
        UUID(int=1),
        parse_cron("0 9 * * mon"),
        date(2026, 9, 1),
        room_id=UUID(int=2),
        paused=True,
    )
    async with backend.uow() as uow:
        await uow.schedules.add(weekly)
        await uow.schedules.add(monday)
        await uow.commit()
    async with backend.uow() as uow:
        found = [await uow.schedules.get(s.id) for s in (weekly, monday)]
        unpaused = await uow.schedules.unpaused()

    assert found == [weekly, monday]
    assert unpaused == [weekly]
    paused = await backend.queries.schedules(ScheduleFilter(paused=True), PAGE)
    everything = await backend.queries.schedules(ScheduleFilter(building_id=UUID(int=1)), PAGE)
    assert [s.id for s in paused.items] == [monday.id]
    assert [s.title for s in everything.items] == ["Alarms", "Boiler"]


async def test_request_lists_filter_order_and_page(backend: MaintenanceBackend) -> None:
    older = a_request(UUID(int=1), due_at=T0 + timedelta(hours=5), technician_id=TECH)
    newer = a_request(
        UUID(int=1),
        submitted_at=T0 + timedelta(minutes=1),
        due_at=T0 + timedelta(hours=1),
        technician_id=TECH,
        state=RequestState.ASSIGNED,
    )
    undated = a_request(UUID(int=2), submitted_at=T0 + timedelta(minutes=2), technician_id=TECH)
    finished = a_request(UUID(int=1), state=RequestState.CLOSED, technician_id=TECH, overdue=True)
    await stored(backend, older, newer, undated, finished)

    newest = await backend.queries.requests(RequestFilter(), PageRequest(limit=2, offset=0))
    queue = await backend.queries.requests(
        RequestFilter(technician_id=TECH, open_only=True, order=RequestOrder.DUE), PAGE
    )
    north = await backend.queries.requests(RequestFilter(building_id=UUID(int=1)), PAGE)
    overdue = await backend.queries.requests(RequestFilter(overdue=True), PAGE)

    assert (newest.total, [r.id for r in newest.items]) == (4, [undated.id, newer.id])
    assert [r.id for r in queue.items] == [newer.id, older.id, undated.id]
    assert north.total == 3
    assert [r.id for r in overdue.items] == [finished.id]


async def test_report_facts(backend: MaintenanceBackend) -> None:
    resolution = Resolution(Decimal(1), (), Money.of("90", "EUR"))
    request = a_request(
        UUID(int=1),
        estimated_cost=Money.of("125", "EUR"),
        state=RequestState.RESOLVED,
        resolution=resolution,
        resolved_at=T0 + timedelta(hours=2),
    )
    await stored(backend, request)

    [facts] = await backend.queries.report_facts()

    assert (facts.estimated_cents, facts.actual_cents, facts.currency) == (12500, 9000, "EUR")
    assert (facts.state, facts.resolved_at) == (RequestState.RESOLVED, T0 + timedelta(hours=2))


async def test_the_directory_reads_homes_places_and_accounts(backend: MaintenanceBackend) -> None:
    hall = a_building("NH", name="North Hall")
    room = a_room(hall, "101")
    bed = Bed(room_id=room.id, label="A")
    ada, bo = a_resident("001"), a_resident("002", email="bo@example.edu")
    today = date(2026, 9, 1)
    living = Booking(
        resident_id=ada.id,
        stay=DateRange(today - timedelta(days=3), today + timedelta(days=60)),
        requested_at=T0,
        state=BookingState.CONFIRMED,
        bed_id=bed.id,
    )
    staff = User("staff@example.edu", Role.STAFF, "hash")
    gone = User("gone@example.edu", Role.ADMIN, "hash", active=False)
    tech = User("tess@example.edu", Role.TECHNICIAN, "hash")
    await backend.save(hall, room, bed, ada, bo, living, staff, gone, tech)
    directory = backend.directory

    home = await directory.home_of(ada.id, today)
    assert home is not None
    assert (home.building_id, home.room_id, home.label) == (
        hall.id,
        room.id,
        "North Hall, room 101",
    )
    assert await directory.home_of(ada.id, today + timedelta(days=90)) is None
    assert await directory.home_of(bo.id, today) is None
    assert await directory.place(None, room.id) == home
    assert await directory.place(UUID(int=1), room.id) is None
    building = await directory.place(hall.id, None)
    assert building is not None
    assert (building.room_id, building.label) == (None, "North Hall")
    assert await directory.place(UUID(int=1), None) is None
    contact = await directory.contact(ada.id)
    assert contact is not None
    assert contact.email == ada.email
    account = await directory.account(tech.id)
    assert account is not None
    assert (account.role, account.active) == (Role.TECHNICIAN, True)
    assert await directory.office_emails() == ["staff@example.edu"]
