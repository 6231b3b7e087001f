"""Triage: the deadline, the estimate and the technician of a new request, in the background."""

import logging
from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from application.jobs.reporter import JobReporter
from application.maintenance.changes import MaintenanceChanges
from application.maintenance.ports import MaintenancePolicy, MaintenanceUnitOfWorkFactory
from application.shared.ports import Clock
from domain.jobs.model import JobState
from domain.maintenance import lifecycle
from domain.maintenance.model import HistoryEntry, MaintenanceRequest, RequestState
from domain.maintenance.sla import sla_due_at
from domain.maintenance.triage import choose_technician, estimate_cost
from domain.notifications.model import Notification
from domain.shared.errors import NotFound

logger = logging.getLogger(__name__)

RESUME_TRIAGE_TASK = "maintenance.resume_triage"
# A request still untriaged this long after submission lost its task.
TRIAGE_GRACE = timedelta(minutes=1)
RESUME_BATCH = 100


class TriageRequest:
    """The triage job of a submitted request:

    - its deadline from the priority (defaults: emergency 4 hours, high 24 hours, routine 3
      business days, low 10 business days; a preventive work order keeps the end of its day);
    - its estimated cost: labour hours for the category and priority times the hourly rate,
      plus typical parts (a preventive schedule's own estimate wins);
    - its technician: the active one with the skill and the fewest open assignments, ties
      broken by name and then id; with none, it stays `submitted` and the office is emailed;
    - the resident is emailed the reference, the deadline and whether a technician has it, and
      the technician the work. Safe to run twice, or twice at once: one run triages.
    """

    def __init__(
        self,
        uow: MaintenanceUnitOfWorkFactory,
        changes: MaintenanceChanges,
        jobs: JobReporter,
        clock: Clock,
        policy: MaintenancePolicy,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._jobs = jobs
        self._clock = clock
        self._policy = policy

    async def __call__(self, request_id: UUID) -> MaintenanceRequest:
        async with self._uow() as uow:
            request = await uow.requests.get(request_id)
            loads = await uow.technicians.loads()
        if request is None:
            raise NotFound("maintenance request", request_id)
        if request.triaged_at is not None:
            await self._report(request)
            return request
        if request.job_id is not None:
            await self._jobs.start(request.job_id)
        triaged, entries = self._triaged(request, choose_technician(loads, request.category))
        notices = await self._notices(triaged)
        if not await self._changes.store(triaged, entries, request, notices):
            async with self._uow() as uow:  # another run triaged it first
                current = await uow.requests.get(request_id)
            assert current is not None
            await self._report(current)
            return current
        await self._changes.committed(triaged)
        await self._report(triaged)
        return triaged

    def _triaged(
        self, request: MaintenanceRequest, technician_id: UUID | None
    ) -> tuple[MaintenanceRequest, list[HistoryEntry]]:
        now = self._clock.now()
        due_at = request.due_at or sla_due_at(
            request.priority, request.submitted_at, self._policy.sla
        )
        estimate = request.estimated_cost or estimate_cost(
            request.category, request.priority, self._policy.rates
        )
        triaged = replace(
            request, due_at=due_at, estimated_cost=estimate, triaged_at=now, updated_at=now
        )
        note = f"due by {due_at.isoformat()}, estimated {estimate.amount} {estimate.currency}"
        if technician_id is None:
            note += "; no technician available"
        entries = [HistoryEntry(request.id, "triage", request.state, request.state, now, note=note)]
        if technician_id is not None:
            triaged, assigned = lifecycle.assign(triaged, technician_id, now, None, "by triage")
            entries.append(assigned)
        return triaged, entries

    async def _notices(self, request: MaintenanceRequest) -> list[Notification]:
        assigned = request.state is RequestState.ASSIGNED
        assignment = (
            "A technician has been assigned." if assigned else "A technician will be assigned soon."
        )
        notices = await self._changes.to_resident(
            request, "maintenance_received", assignment=assignment
        )
        if assigned:
            return notices + await self._changes.to_technician(request)
        return notices + await self._changes.to_office(request, "maintenance_unassigned")

    async def _report(self, request: MaintenanceRequest) -> None:
        if request.job_id is None:
            return
        job = await self._jobs.view(request.job_id)
        if job.state is JobState.SUCCEEDED:
            return
        if job.state is not JobState.RUNNING:
            await self._jobs.start(request.job_id)
        await self._jobs.succeed(
            request.job_id,
            {
                "state": request.state.value,
                "technician_id": request.technician_id,
                "due_at": request.due_at,
                "estimated_cost": None
                if request.estimated_cost is None
                else {
                    "amount": str(request.estimated_cost.amount),
                    "currency": request.estimated_cost.currency,
                },
            },
        )


class ResumeTriage:
    """Triages requests whose triage task was lost (a broker that was down, a worker killed):
    those still untriaged a minute after submission. Returns how many it triaged."""

    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, triage: TriageRequest, clock: Clock
    ) -> None:
        self._uow = uow
        self._triage = triage
        self._clock = clock

    async def __call__(self) -> int:
        cutoff = self._clock.now() - TRIAGE_GRACE
        async with self._uow() as uow:
            waiting = await uow.requests.untriaged_before(cutoff, RESUME_BATCH)
        await triage_each(self._triage, waiting)
        return len(waiting)


async def triage_each(triage: TriageRequest, request_ids: list[UUID]) -> None:
    """Triages each request in turn; one that fails is logged and left untriaged, for
    ResumeTriage to try again, without stopping the others."""
    for request_id in request_ids:
        try:
            await triage(request_id)
        except Exception:  # whatever broke, the other requests still get their triage
            logger.exception("triage of maintenance request %s failed", request_id)
