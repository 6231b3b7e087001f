"""In-memory fakes of the maintenance ports, by the rules of the SQL adapters (the contract
tests in tests/integration run the same assertions on both)."""

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from application.maintenance.ports import AccountFacts, Place
from application.maintenance.views import (
    RequestFilter,
    RequestOrder,
    RequestPage,
    ScheduleFilter,
    SchedulePage,
    TechnicianPage,
    request_view,
    schedule_view,
    technician_view,
)
from application.shared.paging import PageRequest
from domain.accounts.model import OFFICE_ROLES
from domain.bookings.model import BookingState
from domain.maintenance.model import (
    HistoryEntry,
    MaintenanceRequest,
    RequestState,
    Technician,
    TechnicianLoad,
)
from domain.maintenance.reports import RequestFacts
from domain.maintenance.schedules import MaintenanceSchedule
from domain.notifications.announcements import ContactDetails
from domain.notifications.model import Notification
from domain.shared.errors import Conflict
from tests.fakes.accounts import InMemoryAccountsStore
from tests.fakes.bookings import InMemoryBookingStore
from tests.fakes.housing import InMemoryHousingStore
from tests.fakes.notifications import InMemoryNotificationOutbox, InMemoryNotificationStore


@dataclass
class MaintenanceTables:
    requests: dict[UUID, MaintenanceRequest] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    technicians: dict[UUID, Technician] = field(default_factory=dict)
    schedules: dict[UUID, MaintenanceSchedule] = field(default_factory=dict)

    def copy(self) -> "MaintenanceTables":
        return MaintenanceTables(
            dict(self.requests), list(self.history), dict(self.technicians), dict(self.schedules)
        )


class InMemoryMaintenanceStore:
    """The committed state; a unit of work holds `lock` throughout, like a SQLite writer."""

    def __init__(self) -> None:
        self.tables = MaintenanceTables()
        self.lock = asyncio.Lock()


def _loads(tables: MaintenanceTables) -> list[TechnicianLoad]:
    return [
        TechnicianLoad(
            technician,
            sum(
                1
                for r in tables.requests.values()
                if r.open and r.technician_id == technician.user_id
            ),
        )
        for technician in tables.technicians.values()
    ]


class InMemoryMaintenanceRequestRepository:
    def __init__(self, tables: MaintenanceTables) -> None:
        self._tables = tables

    async def get(self, request_id: UUID) -> MaintenanceRequest | None:
        return self._tables.requests.get(request_id)

    async def add(self, request: MaintenanceRequest) -> None:
        if not await self.add_if_absent(request):
            raise Conflict("occurrence_date is already taken", field="occurrence_date")

    async def add_if_absent(self, request: MaintenanceRequest) -> bool:
        if request.id in self._tables.requests:
            raise Conflict("id is already taken", field="id")
        key = (request.schedule_id, request.occurrence_date)
        if request.schedule_id is not None and any(
            (r.schedule_id, r.occurrence_date) == key for r in self._tables.requests.values()
        ):
            return False
        self._tables.requests[request.id] = request
        return True

    async def update_from(
        self, request: MaintenanceRequest, state: RequestState, escalation_level: int
    ) -> bool:
        stored = self._tables.requests.get(request.id)
        if stored is None or (stored.state, stored.escalation_level) != (state, escalation_level):
            return False
        self._tables.requests[request.id] = request
        return True

    async def record(self, entry: HistoryEntry) -> None:
        self._tables.history.append(entry)

    async def history(self, request_id: UUID) -> list[HistoryEntry]:
        return [entry for entry in self._tables.history if entry.request_id == request_id]

    async def past_due(self, now: datetime, limit: int) -> list[MaintenanceRequest]:
        due = [r for r in self._tables.requests.values() if r.open and r.due_at and r.due_at <= now]
        return sorted(due, key=lambda r: (r.due_at or now, r.id))[:limit]

    async def resolved_before(self, cutoff: datetime, limit: int) -> list[MaintenanceRequest]:
        done = [
            r
            for r in self._tables.requests.values()
            if r.state is RequestState.RESOLVED and r.resolved_at and r.resolved_at < cutoff
        ]
        return sorted(done, key=lambda r: (r.resolved_at or cutoff, r.id))[:limit]

    async def untriaged_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        waiting = [
            r
            for r in self._tables.requests.values()
            if r.state is RequestState.SUBMITTED
            and r.triaged_at is None
            and r.submitted_at < cutoff
        ]
        return [r.id for r in sorted(waiting, key=lambda r: (r.submitted_at, r.id))[:limit]]


class InMemoryTechnicianRepository:
    def __init__(self, tables: MaintenanceTables) -> None:
        self._tables = tables

    async def get(self, user_id: UUID) -> Technician | None:
        return self._tables.technicians.get(user_id)

    async def add(self, technician: Technician) -> None:
        if technician.user_id in self._tables.technicians:
            raise Conflict("user_id is already taken", field="user_id")
        self._tables.technicians[technician.user_id] = technician

    async def update(self, technician: Technician) -> None:
        if technician.user_id in self._tables.technicians:
            self._tables.technicians[technician.user_id] = technician

    async def delete(self, user_id: UUID) -> None:
        self._tables.technicians.pop(user_id, None)

    async def loads(self) -> list[TechnicianLoad]:
        return _loads(self._tables)


class InMemoryScheduleRepository:
    def __init__(self, tables: MaintenanceTables) -> None:
        self._tables = tables

    async def get(self, schedule_id: UUID) -> MaintenanceSchedule | None:
        return self._tables.schedules.get(schedule_id)

    async def add(self, schedule: MaintenanceSchedule) -> None:
        if schedule.id in self._tables.schedules:
            raise Conflict("id is already taken", field="id")
        self._tables.schedules[schedule.id] = schedule

    async def update(self, schedule: MaintenanceSchedule) -> None:
        if schedule.id in self._tables.schedules:
            self._tables.schedules[schedule.id] = schedule

    async def delete(self, schedule_id: UUID) -> None:
        self._tables.schedules.pop(schedule_id, None)

    async def unpaused(self) -> list[MaintenanceSchedule]:
        found = [s for s in self._tables.schedules.values() if not s.paused]
        return sorted(found, key=lambda s: s.id)


class InMemoryMaintenanceUnitOfWork:
    """Maintenance tables and the notifications that tell of their changes, committed
    together."""

    def __init__(
        self,
        store: InMemoryMaintenanceStore,
        notifications: InMemoryNotificationStore | None = None,
    ) -> None:
        self._store = store
        self._notifications = notifications or InMemoryNotificationStore()
        self._work = MaintenanceTables()
        self._queued: dict[UUID, Notification] = {}

    async def __aenter__(self) -> Self:
        await self._store.lock.acquire()
        self._work = self._store.tables.copy()
        self._queued = {}
        self.requests = InMemoryMaintenanceRequestRepository(self._work)
        self.technicians = InMemoryTechnicianRepository(self._work)
        self.schedules = InMemoryScheduleRepository(self._work)
        self.outbox = InMemoryNotificationOutbox(self._queued)
        return self

    async def commit(self) -> None:
        self._store.tables = self._work.copy()
        self._notifications.rows.update(self._queued)
        self._queued = {}

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._store.lock.release()


def _matches(request: MaintenanceRequest, criteria: RequestFilter) -> bool:
    wanted = (
        (criteria.resident_id, request.resident_id),
        (criteria.technician_id, request.technician_id),
        (criteria.building_id, request.building_id),
        (criteria.state, request.state),
        (criteria.priority, request.priority),
        (criteria.category, request.category),
        (criteria.overdue, request.overdue),
    )
    if any(value is not None and value != actual for value, actual in wanted):
        return False
    return not criteria.open_only or request.open


def _page_of(items: list[Any], page: PageRequest) -> list[Any]:
    return items[page.offset : page.offset + page.limit]


class InMemoryMaintenanceQueries:
    def __init__(self, store: InMemoryMaintenanceStore) -> None:
        self._store = store

    async def requests(self, criteria: RequestFilter, page: PageRequest) -> RequestPage:
        found = [r for r in self._store.tables.requests.values() if _matches(r, criteria)]
        found.sort(key=lambda r: r.id)
        if criteria.order is RequestOrder.DUE:
            found.sort(key=lambda r: (r.due_at is None, r.due_at or r.submitted_at))
        else:
            found.sort(key=lambda r: r.submitted_at, reverse=True)
        items = [request_view(r) for r in _page_of(found, page)]
        return RequestPage(items=items, total=len(found), limit=page.limit, offset=page.offset)

    async def technicians(self, page: PageRequest) -> TechnicianPage:
        loads = sorted(
            _loads(self._store.tables), key=lambda x: (x.technician.name, x.technician.user_id)
        )
        items = [technician_view(x.technician, x.open_assignments) for x in _page_of(loads, page)]
        return TechnicianPage(items=items, total=len(loads), limit=page.limit, offset=page.offset)

    async def schedules(self, criteria: ScheduleFilter, page: PageRequest) -> SchedulePage:
        found = [
            s
            for s in self._store.tables.schedules.values()
            if criteria.building_id in (None, s.building_id)
            and criteria.room_id in (None, s.room_id)
            and criteria.paused in (None, s.paused)
        ]
        found.sort(key=lambda s: (s.title, s.id))
        items = [schedule_view(s) for s in _page_of(found, page)]
        return SchedulePage(items=items, total=len(found), limit=page.limit, offset=page.offset)

    async def report_facts(self) -> list[RequestFacts]:
        return [_facts(r) for r in self._store.tables.requests.values()]


def _facts(request: MaintenanceRequest) -> RequestFacts:
    estimate = request.estimated_cost
    actual = None if request.resolution is None else request.resolution.actual_cost
    return RequestFacts(
        building_id=request.building_id,
        category=request.category,
        priority=request.priority,
        state=request.state,
        overdue=request.overdue,
        submitted_at=request.submitted_at,
        resolved_at=request.resolved_at,
        estimated_cents=None if estimate is None else estimate.cents,
        actual_cents=None if actual is None else actual.cents,
        currency=(estimate or actual).currency if (estimate or actual) else None,
    )


class InMemoryMaintenanceDirectory:
    """Housing, bookings and accounts facts from their fakes, by the rules of the SQL one."""

    def __init__(
        self,
        housing: InMemoryHousingStore,
        bookings: InMemoryBookingStore,
        accounts: InMemoryAccountsStore,
    ) -> None:
        self._housing = housing
        self._bookings = bookings
        self._accounts = accounts

    def _room_place(self, room_id: UUID) -> Place | None:
        tables = self._housing.tables
        room = tables.rooms.get(room_id)
        if room is None:
            return None
        building = tables.buildings[room.building_id]
        return Place(building.id, room.id, f"{building.name}, room {room.number}")

    async def home_of(self, resident_id: UUID, day: date) -> Place | None:
        living = [
            b
            for b in self._bookings.rows.values()
            if b.resident_id == resident_id
            and b.bed_id is not None
            and (
                b.state is BookingState.CHECKED_IN
                or (b.state is BookingState.CONFIRMED and b.stay.contains(day))
            )
        ]
        if not living:
            return None
        latest = max(living, key=lambda b: b.stay.start)
        assert latest.bed_id is not None
        return self._room_place(self._housing.tables.beds[latest.bed_id].room_id)

    async def place(self, building_id: UUID | None, room_id: UUID | None) -> Place | None:
        if room_id is not None:
            found = self._room_place(room_id)
            if found is None or building_id not in (None, found.building_id):
                return None
            return found
        building = self._housing.tables.buildings.get(building_id) if building_id else None
        return None if building is None else Place(building.id, None, building.name)

    async def contact(self, resident_id: UUID) -> ContactDetails | None:
        r = self._housing.tables.residents.get(resident_id)
        if r is None:
            return None
        return ContactDetails(
            r.id, r.first_name, r.last_name, r.email, r.phone, r.email_opt_in, r.sms_opt_in
        )

    async def account(self, user_id: UUID) -> AccountFacts | None:
        user = self._accounts.tables.users.get(user_id)
        return None if user is None else AccountFacts(user.id, user.email, user.role, user.active)

    async def office_emails(self) -> list[str]:
        users = self._accounts.tables.users.values()
        return sorted(u.email for u in users if u.role in OFFICE_ROLES and u.active)
