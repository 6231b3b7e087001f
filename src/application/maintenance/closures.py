"""Repairs that take a room out of use: the office closes the request's room (or one bed of
it) through the bookings context's closures, the one place that decides what a closure means
for bookings, and notes it in the request's history."""

from collections.abc import Awaitable, Callable
from uuid import UUID

from application.bookings.commands import PlaceClosureCommand
from application.bookings.views import ClosureView
from application.maintenance.changes import reference
from application.maintenance.commands import CloseForRepairCommand
from application.maintenance.ports import MaintenanceUnitOfWorkFactory
from application.maintenance.requests import ensure_visible
from application.shared.ports import Clock
from domain.accounts.model import Principal
from domain.bookings.closures import ClosureTarget
from domain.maintenance.model import HistoryEntry, MaintenanceRequest
from domain.shared.errors import Conflict, Forbidden

# The bookings context's PlaceClosure use case: (placed by, command) -> the closure.
PlaceClosure = Callable[[UUID | None, PlaceClosureCommand], Awaitable[ClosureView]]


def _target(request: MaintenanceRequest, bed_id: UUID | None) -> tuple[ClosureTarget, UUID]:
    if bed_id is not None:
        return ClosureTarget.BED, bed_id
    if request.room_id is not None:
        return ClosureTarget.ROOM, request.room_id
    return ClosureTarget.BUILDING, request.building_id


class CloseForRepair:
    """The office closes what an open request is about, from `starts_on` until the day before
    `ends_on`: one bed (`bed_id`), else the request's room, else (a building-wide request) the
    building.

    - the closure follows the bookings rules: over held, confirmed or checked-in bookings it is
      refused (409) with the `affected` residents, unless `force: true`, which places it and
      emails each of them;
    - only an open request can close anything (409); residents and technicians may not (403);
    - the request's history records the closure, its dates and its id.
    """

    def __init__(
        self, uow: MaintenanceUnitOfWorkFactory, place_closure: PlaceClosure, clock: Clock
    ) -> None:
        self._uow = uow
        self._place_closure = place_closure
        self._clock = clock

    async def __call__(
        self, caller: Principal, request_id: UUID, command: CloseForRepairCommand
    ) -> ClosureView:
        if not caller.is_office:
            raise Forbidden(f"the {caller.role} role may not close rooms")
        async with self._uow() as uow:
            found = await uow.requests.get(request_id)
        request = ensure_visible(caller, found, request_id)
        if not request.open:
            raise Conflict(f"a {request.state} request closes nothing", "state")
        target, target_id = _target(request, command.bed_id)
        closure = await self._place_closure(
            caller.user_id,
            PlaceClosureCommand(
                target=target,
                target_id=target_id,
                starts_on=command.starts_on,
                ends_on=command.ends_on,
                reason=f"maintenance request {reference(request)}: {request.category}",
                force=command.force,
            ),
        )
        await self._note(request, caller, closure)
        return closure

    async def _note(
        self, request: MaintenanceRequest, caller: Principal, closure: ClosureView
    ) -> None:
        note = (
            f"{closure.target} closed from {closure.starts_on} until {closure.ends_on} "
            f"(closure {closure.id})"
        )
        entry = HistoryEntry(
            request_id=request.id,
            action="close_room",
            from_state=request.state,
            to_state=request.state,
            at=self._clock.now(),
            actor_id=caller.user_id,
            note=note,
        )
        async with self._uow() as uow:
            await uow.requests.record(entry)
            await uow.commit()
