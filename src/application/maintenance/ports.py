"""What the maintenance use cases need from the outside world."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from application.maintenance.views import (
    RequestFilter,
    RequestPage,
    ScheduleFilter,
    SchedulePage,
    TechnicianPage,
)
from application.notifications.ports import NotificationOutbox
from application.shared.paging import PageRequest
from application.shared.ports import UnitOfWork
from domain.accounts.model import Role
from domain.maintenance.model import (
    HistoryEntry,
    MaintenanceRequest,
    RequestState,
    Technician,
    TechnicianLoad,
)
from domain.maintenance.reports import RequestFacts
from domain.maintenance.schedules import MaintenanceSchedule
from domain.maintenance.sla import SlaPolicy
from domain.maintenance.triage import RateTable
from domain.notifications.announcements import ContactDetails


class MaintenanceRequestRepository(Protocol):
    async def get(self, request_id: UUID) -> MaintenanceRequest | None: ...
    async def add(self, request: MaintenanceRequest) -> None: ...

    async def add_if_absent(self, request: MaintenanceRequest) -> bool:
        """Adds a preventive work order unless one exists for its (schedule_id,
        occurrence_date); True when this call added it. Two transactions racing on one key
        both return, one True and one False: the store's unique key decides."""
        ...

    async def update_from(
        self, request: MaintenanceRequest, state: RequestState, escalation_level: int
    ) -> bool:
        """Stores the request only if the stored one is still in `state` at
        `escalation_level`; False, and nothing stored, when another transaction moved it."""
        ...

    async def record(self, entry: HistoryEntry) -> None: ...

    async def history(self, request_id: UUID) -> list[HistoryEntry]:
        """The request's entries in the order they were recorded."""
        ...

    async def past_due(self, now: datetime, limit: int) -> list[MaintenanceRequest]:
        """Open requests whose deadline is at or before `now`, the earliest deadline first."""
        ...

    async def resolved_before(self, cutoff: datetime, limit: int) -> list[MaintenanceRequest]:
        """Resolved (not yet closed) requests resolved before `cutoff`, the oldest first."""
        ...

    async def untriaged_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        """Submitted requests never triaged, submitted before `cutoff`, the oldest first."""
        ...


class TechnicianRepository(Protocol):
    async def get(self, user_id: UUID) -> Technician | None: ...
    async def add(self, technician: Technician) -> None: ...
    async def update(self, technician: Technician) -> None: ...
    async def delete(self, user_id: UUID) -> None: ...

    async def loads(self) -> list[TechnicianLoad]:
        """Every technician with their count of open requests assigned to them."""
        ...


class ScheduleRepository(Protocol):
    async def get(self, schedule_id: UUID) -> MaintenanceSchedule | None: ...
    async def add(self, schedule: MaintenanceSchedule) -> None: ...
    async def update(self, schedule: MaintenanceSchedule) -> None: ...
    async def delete(self, schedule_id: UUID) -> None: ...

    async def unpaused(self) -> list[MaintenanceSchedule]:
        """Every schedule that is not paused, by id."""
        ...


class MaintenanceUnitOfWork(UnitOfWork, Protocol):
    @property
    def requests(self) -> MaintenanceRequestRepository: ...
    @property
    def technicians(self) -> TechnicianRepository: ...
    @property
    def schedules(self) -> ScheduleRepository: ...

    # Emails about a request commit with the change they tell of.
    @property
    def outbox(self) -> NotificationOutbox: ...


MaintenanceUnitOfWorkFactory = Callable[[], MaintenanceUnitOfWork]


@dataclass(frozen=True, slots=True)
class Place:
    """Where work is: a building, and a room of it or none (the whole building)."""

    building_id: UUID
    room_id: UUID | None
    label: str  # "North Hall, room 101", for people


@dataclass(frozen=True, slots=True)
class AccountFacts:
    user_id: UUID
    email: str
    role: Role
    active: bool


class MaintenanceDirectory(Protocol):
    """Facts of other contexts (housing, bookings, accounts), read from committed data; each
    call is its own short read, never inside a unit of work."""

    async def home_of(self, resident_id: UUID, day: date) -> Place | None:
        """The room the resident lives in on `day`: their checked-in booking, or a confirmed
        one whose stay includes the day."""
        ...

    async def place(self, building_id: UUID | None, room_id: UUID | None) -> Place | None:
        """The room (whose building it names), or the building when no room is given; None
        when it does not exist."""
        ...

    async def contact(self, resident_id: UUID) -> ContactDetails | None: ...
    async def account(self, user_id: UUID) -> AccountFacts | None: ...

    async def office_emails(self) -> list[str]:
        """The addresses of active staff and admin accounts, sorted."""
        ...


class MaintenanceQueries(Protocol):
    async def requests(self, criteria: RequestFilter, page: PageRequest) -> RequestPage: ...
    async def technicians(self, page: PageRequest) -> TechnicianPage:
        """By name, then user id."""
        ...

    async def schedules(self, criteria: ScheduleFilter, page: PageRequest) -> SchedulePage:
        """By title, then id."""
        ...

    async def report_facts(self) -> list[RequestFacts]: ...


@dataclass(frozen=True, slots=True)
class MaintenancePolicy:
    """The configurable rules of triage and closing (MAINTENANCE_* settings)."""

    sla: SlaPolicy
    rates: RateTable
    auto_close_after: timedelta
