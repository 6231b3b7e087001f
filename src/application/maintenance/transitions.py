"""The steps of a request's life after triage, one use case per verb. Each checks who may take
the step, applies the pure rule, and stores the request with its history entry and emails only
if nobody moved it meanwhile (409 otherwise)."""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
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

CommandT = TypeVar("CommandT")


def is_owner(caller: Principal, request: MaintenanceRequest) -> bool:
    return caller.role is Role.RESIDENT and request.resident_id == caller.resident_id


def is_worker(caller: Principal, request: MaintenanceRequest) -> bool:
    """The office, or the technician the request is assigned to."""
    return caller.is_office or (
        caller.role is Role.TECHNICIAN and request.technician_id == caller.user_id
    )


@dataclass(frozen=True, slots=True)
class Taken(Generic[CommandT]):
    """A step as the caller takes it: when, by whom, with what."""

    now: datetime
    caller: Principal
    command: CommandT

    @property
    def actor_id(self) -> UUID:
        return self.caller.user_id


class _Transition(ABC, Generic[CommandT]):
    """One step: who may take it (`_allows`) and the pure rule it applies (`_step`)."""

    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, changes: MaintenanceChanges, clock: Clock
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock

    async def __call__(self, caller: Principal, request_id: UUID, command: CommandT) -> RequestView:
        async with self._uow() as uow:
            found = await uow.requests.get(request_id)
        request = ensure_visible(caller, found, request_id)
        await self._check(command)
        if not self._allows(caller, request):
            raise Forbidden(f"the {caller.role} role may not do this to this request")
        changed, entry = self._step(request, Taken(self._clock.now(), caller, command))
        notices = await self._notices(caller, changed, entry.note)
        if not await self._changes.store(changed, [entry], request, notices):
            raise Conflict("the request changed meanwhile; read it and try again", "state")
        await self._changes.committed(changed)
        return request_view(changed)

    async def _check(self, command: CommandT) -> None:
        """Checks of the command against stored facts, before the step."""

    def _allows(self, caller: Principal, request: MaintenanceRequest) -> bool:
        return is_worker(caller, request)

    @abstractmethod
    def _step(self, request: MaintenanceRequest, taken: Taken[CommandT]) -> Step:
        """The pure rule of this step: the request after it and its history entry."""

    async def _notices(
        self, caller: Principal, changed: MaintenanceRequest, note: str | None
    ) -> list[Notification]:
        """The resident hears of every step they did not take themself."""
        if is_owner(caller, changed):
            return []
        return await self._changes.to_resident(changed, "maintenance_status", note=note or "")


class AssignRequest(_Transition[AssignCommand]):
    """The office assigns (or reassigns) a request to a technician: a submitted, assigned or
    on-hold request becomes `assigned`. The technician must have an active profile (422
    naming `technician_id`); they are emailed the work, the resident the change."""

    async def _check(self, command: AssignCommand) -> None:
        async with self._uow() as uow:
            technician = await uow.technicians.get(command.technician_id)
        if technician is None or not technician.active:
            raise InvalidValue("technician_id", "names no active technician")

    def _allows(self, caller: Principal, request: MaintenanceRequest) -> bool:
        return caller.is_office

    def _step(self, request: MaintenanceRequest, taken: Taken[AssignCommand]) -> Step:
        return lifecycle.assign(
            request, taken.command.technician_id, taken.now, taken.actor_id, taken.command.note
        )

    async def _notices(
        self, caller: Principal, changed: MaintenanceRequest, note: str | None
    ) -> list[Notification]:
        return await super()._notices(caller, changed, note) + await self._changes.to_technician(
            changed
        )


class StartWork(_Transition[NoteCommand]):
    """The assigned technician (or the office) starts an assigned request: `in_progress`."""

    def _step(self, request: MaintenanceRequest, taken: Taken[NoteCommand]) -> Step:
        return lifecycle.start(request, taken.now, taken.actor_id, taken.command.note)


class HoldWork(_Transition[NoteCommand]):
    """The assigned technician (or the office) puts work in progress on hold; the `note`
    saying why is required, and the resident is emailed it."""

    def _step(self, request: MaintenanceRequest, taken: Taken[NoteCommand]) -> Step:
        return lifecycle.hold(request, taken.now, taken.actor_id, taken.command.note)


class ResumeWork(_Transition[NoteCommand]):
    """The assigned technician (or the office) resumes work on hold: `in_progress` again."""

    def _step(self, request: MaintenanceRequest, taken: Taken[NoteCommand]) -> Step:
        return lifecycle.resume(request, taken.now, taken.actor_id, taken.command.note)


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


class ResolveRequest(_Transition[ResolveCommand]):
    """The assigned technician (or the office) resolves work in progress, recording the labour
    hours, the parts used and the actual cost (one currency). The resident is emailed and may
    close (confirm) it; otherwise it closes by itself after MAINTENANCE_AUTO_CLOSE_DAYS."""

    def _step(self, request: MaintenanceRequest, taken: Taken[ResolveCommand]) -> Step:
        return lifecycle.resolve(request, _resolution(taken.command), taken.now, taken.actor_id)


class CloseRequest(_Transition[NoteCommand]):
    """The resident confirms resolved work, or the office closes it: `closed`."""

    def _allows(self, caller: Principal, request: MaintenanceRequest) -> bool:
        return caller.is_office or is_owner(caller, request)

    def _step(self, request: MaintenanceRequest, taken: Taken[NoteCommand]) -> Step:
        return lifecycle.close(request, taken.now, taken.actor_id, taken.command.note)


class CancelRequest(CloseRequest):
    """Cancels a request: the resident their own before work starts (409 after), the office
    any request not yet resolved. The technician assigned is freed of it."""

    def _step(self, request: MaintenanceRequest, taken: Taken[NoteCommand]) -> Step:
        return lifecycle.cancel(
            request, taken.now, taken.actor_id, taken.caller.is_office, taken.command.note
        )


class RateWork(_Transition[RateCommand]):
    """The resident rates resolved or closed work from 1 to 5, once (409 the second time)."""

    def _allows(self, caller: Principal, request: MaintenanceRequest) -> bool:
        return is_owner(caller, request)

    def _step(self, request: MaintenanceRequest, taken: Taken[RateCommand]) -> Step:
        return lifecycle.rate(request, taken.command.rating, taken.now, taken.actor_id)
