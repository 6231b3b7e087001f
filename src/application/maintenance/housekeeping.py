"""Periodic upkeep of requests: escalating the overdue, closing the long resolved."""

from application.maintenance.changes import MaintenanceChanges
from application.maintenance.ports import MaintenancePolicy, MaintenanceUnitOfWorkFactory
from application.shared.ports import Clock
from domain.maintenance import lifecycle
from domain.maintenance.model import MaintenanceRequest
from domain.maintenance.sla import escalation_level

ESCALATE_TASK = "maintenance.escalate"
AUTO_CLOSE_TASK = "maintenance.auto_close"
BATCH = 200


class EscalateOverdue:
    """Marks open requests past their deadline `overdue` and alerts the office once per
    escalation level: level 1 at the deadline, one more for each further SLA period waited
    (up to 3). The level is stored with the request by a conditional update, so a second run,
    or two at once, send no second email. Each change is published on `staff.maintenance` and
    the resident's topic. Returns how many requests it escalated."""

    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, changes: MaintenanceChanges, clock: Clock
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock

    async def __call__(self) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            due = await uow.requests.past_due(now, BATCH)
        escalated = 0
        for request in due:
            escalated += await self._escalate(request)
        return escalated

    async def _escalate(self, request: MaintenanceRequest) -> int:
        now = self._clock.now()
        assert request.due_at is not None
        level = escalation_level(request.submitted_at, request.due_at, now)
        step = lifecycle.escalate(request, level, now)
        if step is None:
            return 0
        changed, entry = step
        notices = await self._changes.to_office(changed, "maintenance_overdue", level=str(level))
        if not await self._changes.store(changed, [entry], request, notices):
            return 0  # another run escalated (or someone moved) it first
        await self._changes.committed(changed)
        return 1


class CloseResolvedRequests:
    """Closes requests resolved more than MAINTENANCE_AUTO_CLOSE_DAYS ago that the resident
    did not confirm, and emails the resident. Returns how many it closed."""

    def __init__(
        self,
        uow: MaintenanceUnitOfWorkFactory,
        changes: MaintenanceChanges,
        clock: Clock,
        policy: MaintenancePolicy,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock
        self._policy = policy

    async def __call__(self) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            resolved = await uow.requests.resolved_before(
                now - self._policy.auto_close_after, BATCH
            )
        days = self._policy.auto_close_after.days
        closed = 0
        for request in resolved:
            changed, entry = lifecycle.close(
                request, now, None, f"closed automatically {days} days after it was resolved"
            )
            notices = await self._changes.to_resident(
                changed, "maintenance_status", note=entry.note or ""
            )
            if await self._changes.store(changed, [entry], request, notices):
                await self._changes.committed(changed)
                closed += 1
        return closed
