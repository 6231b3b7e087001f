"""Submitting maintenance requests and reading them; triage runs in the background."""

import logging
from dataclasses import replace
from datetime import date
from uuid import UUID

import msgspec

from application.jobs.reporter import JobReporter
from application.maintenance.commands import SubmitRequestCommand
from application.maintenance.ports import (
    MaintenanceDirectory,
    MaintenanceQueries,
    MaintenanceUnitOfWorkFactory,
    Place,
)
from application.maintenance.views import (
    RequestDetailView,
    RequestFilter,
    RequestPage,
    SubmittedRequestView,
    detail_view,
    submitted_view,
)
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal, Role
from domain.maintenance.model import HistoryEntry, MaintenanceRequest
from domain.shared.errors import InvalidValue, NotFound

logger = logging.getLogger(__name__)

TRIAGE_TASK = "maintenance.triage"
TRIAGE_JOB = "maintenance.triage"


def may_see(caller: Principal, request: MaintenanceRequest) -> bool:
    """The office sees every request; a resident their own; a technician those assigned to
    them."""
    if caller.is_office:
        return True
    if caller.role is Role.RESIDENT:
        return request.resident_id is not None and request.resident_id == caller.resident_id
    return caller.role is Role.TECHNICIAN and request.technician_id == caller.user_id


def ensure_visible(
    caller: Principal, request: MaintenanceRequest | None, request_id: UUID
) -> MaintenanceRequest:
    # Another's request answers like a missing one: a 403 would confirm the id.
    if request is None or not may_see(caller, request):
        raise NotFound("maintenance request", request_id)
    return request


def visible_filter(caller: Principal, criteria: RequestFilter) -> RequestFilter:
    """The caller's own slice of the requests, whatever the filter asked for."""
    if caller.is_office:
        return criteria
    if caller.role is Role.RESIDENT:
        # No resident record: nothing matches.
        return replace_filter(criteria, resident_id=caller.resident_id or UUID(int=0))
    return replace_filter(criteria, technician_id=caller.user_id)


def replace_filter(criteria: RequestFilter, **changes: object) -> RequestFilter:
    return msgspec.structs.replace(criteria, **changes)


async def place_named(
    directory: MaintenanceDirectory, building_id: UUID | None, room_id: UUID | None
) -> Place:
    """The room, or the whole building, the office names; 422 naming the field otherwise."""
    if room_id is None and building_id is None:
        raise InvalidValue("room_id", "name a room, or a building for the whole building")
    place = await directory.place(building_id, room_id)
    if place is None:
        field = "room_id" if room_id is not None else "building_id"
        raise InvalidValue(field, "names no room or building, or a room of another building")
    return place


class SubmitRequest:
    """Records a maintenance request and starts its triage in the background (202).

    - a resident reports a problem in the room they live in today (their checked-in booking,
      or a confirmed one covering today); without one the answer is 422 naming `room_id`;
      they may not name a room or building;
    - the office names any room (`room_id`), or a whole building (`building_id` alone);
      an unknown one answers 422 naming the field;
    - the request is `submitted`; the triage job (`GET /api/jobs/{job_id}`) sets its SLA
      deadline from the priority, estimates its cost, assigns a technician (or alerts the
      office when none can take it) and emails the resident and the technician.
    """

    def __init__(
        self,
        uow: MaintenanceUnitOfWorkFactory,
        directory: MaintenanceDirectory,
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
        self, caller: Principal, command: SubmitRequestCommand
    ) -> SubmittedRequestView:
        now = self._clock.now()
        place = await self._place_of(caller, command, now.date())
        request = MaintenanceRequest(
            building_id=place.building_id,
            room_id=place.room_id,
            category=command.category,
            priority=command.priority,
            description=command.description.strip(),
            submitted_at=now,
            resident_id=caller.resident_id if caller.role is Role.RESIDENT else None,
            submitted_by=caller.user_id,
            permission_to_enter=command.permission_to_enter,
            preferred_times=command.preferred_times,
        )
        if not request.description:
            raise InvalidValue("description", "must not be empty")
        job_id = await self._jobs.create(
            TRIAGE_JOB, {"request_id": str(request.id)}, caller.user_id
        )
        request = replace(request, job_id=job_id)
        async with self._uow() as uow:
            await uow.requests.add(request)
            await uow.requests.record(
                HistoryEntry(request.id, "submit", None, request.state, now, caller.user_id)
            )
            await uow.commit()
        await self._start_triage(request.id)
        return submitted_view(request, job_id)

    async def _place_of(
        self, caller: Principal, command: SubmitRequestCommand, today: date
    ) -> Place:
        if caller.role is Role.RESIDENT:
            for name in ("room_id", "building_id"):
                if getattr(command, name) is not None:
                    raise InvalidValue(name, "a resident reports for the room they live in")
            home = None
            if caller.resident_id is not None:
                home = await self._directory.home_of(caller.resident_id, today)
            if home is None:
                raise InvalidValue("room_id", "you have no room today: no current booking")
            return home
        return await place_named(self._directory, command.building_id, command.room_id)

    async def _start_triage(self, request_id: UUID) -> None:
        # The request is stored: a broker that cannot take the task now must not turn the
        # caller's 202 into a 500; maintenance.resume_triage picks it up within minutes.
        try:
            await self._tasks.enqueue(TRIAGE_TASK, request_id=str(request_id))
        except Exception as error:  # whatever the broker's trouble, the request is saved
            logger.warning("could not start triage of %s now (%s)", request_id, error)


class GetRequest:
    """Reads a request with its history (oldest first). The office reads every request, a
    resident their own, a technician those assigned to them; any other answers 404."""

    def __init__(self, uow: MaintenanceUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, caller: Principal, request_id: UUID) -> RequestDetailView:
        async with self._uow() as uow:
            found = await uow.requests.get(request_id)
            history = await uow.requests.history(request_id)
        request = ensure_visible(caller, found, request_id)
        return detail_view(request, history)


class ListRequests:
    """Lists requests, the latest submitted first, filtered by `state`, `priority`,
    `category`, `building_id`, `technician_id`, `resident_id` and `overdue`. A resident sees
    only their own requests and a technician only those assigned to them, whatever the
    filters say."""

    def __init__(self, queries: MaintenanceQueries) -> None:
        self._queries = queries

    async def __call__(
        self, caller: Principal, criteria: RequestFilter, page: PageRequest
    ) -> RequestPage:
        return await self._queries.requests(visible_filter(caller, criteria), page)
