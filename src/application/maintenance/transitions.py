"""The steps of a request's life after triage, one use case per verb. Each checks who may take
the step, applies the pure rule, and stores the request with its history entry and emails only
if nobody moved it meanwhile (409 otherwise)."""

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from application.maintenance.changes import MaintenanceChanges
from application.maintenance.commands import (
    AssignCommand,
    NoteCommand,
    RateCommand,
    ResolveCommand,
)
from application.maintenance.ports import MaintenanceUnitOfWorkFactory
from application.maintenance.requests import ensure_visible
from application.maintenance.views import RequestView, request_view
from application.shared.ports import Clock
from domain.accounts.model import Principal, Role
from domain.maintenance import lifecycle
from domain.maintenance.lifecycle import Step
from domain.maintenance.model import MaintenanceRequest, Part, Resolution
from domain.notifications.model import Notification
from domain.shared.errors import Conflict, Forbidden, InvalidValue
from domain.shared.money import Money

Rule = Callable[[MaintenanceRequest, datetime], Step]


def is_owner(caller: Principal, request: MaintenanceRequest) -> bool:
    return caller.role is Role.RESIDENT and request.resident_id == caller.resident_id


def is_worker(caller: Principal, request: MaintenanceRequest) -> bool:
    """The office, or the technician the request is assigned to."""
    return caller.is_office or (
        caller.role is Role.TECHNICIAN and request.technician_id == caller.user_id
    )


class _Transition:
    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, changes: MaintenanceChanges, clock: Clock
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock

    async def _load(self, caller: Principal, request_id: UUID) -> MaintenanceRequest:
        async with self._uow() as uow:
            found = await uow.requests.get(request_id)
        return ensure_visible(caller, found, request_id)

    async def _apply(
        self,
        caller: Principal,
        request: MaintenanceRequest,
        rule: Rule,
        allowed: bool,
    ) -> RequestView:
        if not allowed:
            raise Forbidden(f"the {caller.role} role may not do this to this request")
        changed, entry = rule(request, self._clock.now())
        notices = await self._notices(caller, changed, entry.note)
        if not await self._changes.store(changed, [entry], request, notices):
            raise Conflict("the request changed meanwhile; read it and try again", "state")
        await self._changes.committed(changed)
        return request_view(changed)

    async def _notices(
        self, caller: Principal, changed: MaintenanceRequest, note: str | None
    ) -> list[Notification]:
        """The resident hears of every step they did not take themself."""
        if is_owner(caller, changed):
            return []
        return await self._changes.to_resident(changed, "maintenance_status", note=note or "")


class AssignRequest(_Transition):
    """The office assigns (or reassigns) a request to a technician: a submitted, assigned or
    on-hold request becomes `assigned`. The technician must have an active profile (422
    naming `technician_id`); they are emailed the work, the resident the change."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: AssignCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        async with self._uow() as uow:
            technician = await uow.technicians.get(command.technician_id)
        if technician is None or not technician.active:
            raise InvalidValue("technician_id", "names no active technician")
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.assign(
                r, command.technician_id, now, caller.user_id, command.note
            ),
            caller.is_office,
        )

    async def _notices(
        self, caller: Principal, changed: MaintenanceRequest, note: str | None
    ) -> list[Notification]:
        return await super()._notices(caller, changed, note) + await self._changes.to_technician(
            changed
        )


class StartWork(_Transition):
    """The assigned technician (or the office) starts an assigned request: `in_progress`."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: NoteCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.start(r, now, caller.user_id, command.note),
            is_worker(caller, request),
        )


class HoldWork(_Transition):
    """The assigned technician (or the office) puts work in progress on hold; the `note`
    saying why is required, and the resident is emailed it."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: NoteCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.hold(r, now, caller.user_id, command.note),
            is_worker(caller, request),
        )


class ResumeWork(_Transition):
    """The assigned technician (or the office) resumes work on hold: `in_progress` again."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: NoteCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.resume(r, now, caller.user_id, command.note),
            is_worker(caller, request),
        )


def _resolution(command: ResolveCommand) -> Resolution:
    parts = tuple(
        Part(
            part.name.strip(),
            Money.of(part.cost.amount, part.cost.currency, f"parts[{index}].cost.amount"),
        )
        for index, part in enumerate(command.parts)
    )
    cost = command.actual_cost
    return Resolution(
        labour_hours=command.labour_hours,
        parts=parts,
        actual_cost=Money.of(cost.amount, cost.currency, "actual_cost.amount"),
        note=command.note,
    )


class ResolveRequest(_Transition):
    """The assigned technician (or the office) resolves work in progress, recording the labour
    hours, the parts used and the actual cost (one currency). The resident is emailed and may
    close (confirm) it; otherwise it closes by itself after MAINTENANCE_AUTO_CLOSE_DAYS."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: ResolveCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        resolution = _resolution(command)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.resolve(r, resolution, now, caller.user_id),
            is_worker(caller, request),
        )


class CloseRequest(_Transition):
    """The resident confirms resolved work, or the office closes it: `closed`."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: NoteCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.close(r, now, caller.user_id, command.note),
            caller.is_office or is_owner(caller, request),
        )


class CancelRequest(_Transition):
    """Cancels a request: the resident their own before work starts (409 after), the office
    any request not yet resolved. The technician assigned is freed of it."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: NoteCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.cancel(r, now, caller.user_id, caller.is_office, command.note),
            caller.is_office or is_owner(caller, request),
        )


class RateWork(_Transition):
    """The resident rates resolved or closed work from 1 to 5, once (409 the second time)."""

    async def __call__(
        self, caller: Principal, request_id: UUID, command: RateCommand
    ) -> RequestView:
        request = await self._load(caller, request_id)
        return await self._apply(
            caller,
            request,
            lambda r, now: lifecycle.rate(r, command.rating, now, caller.user_id),
            is_owner(caller, request),
        )
