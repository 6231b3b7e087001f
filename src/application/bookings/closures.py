"""Closing beds, rooms and buildings for a while, and opening them again.

PlaceClosure is also the way other contexts close something (maintenance closing a room for a
repair): they call it with a PlaceClosureCommand, never the closures table."""

from uuid import UUID

from application.bookings.commands import PlaceClosureCommand
from application.bookings.ports import (
    AllocationQueries,
    ClosureQueries,
    ClosuresUnitOfWorkFactory,
)
from application.bookings.views import ClosureFilter, ClosurePage, ClosureView
from application.bookings.waitlist import offer_beds_later
from application.notifications.notifier import Notifier
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from domain.bookings.closures import BookedBed, Closure, affected, new_closure
from domain.bookings.errors import ClosureMeetsBookings
from domain.notifications.announcements import ContactDetails
from domain.notifications.model import Notification
from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue, NotFound

CLOSURE_NOTICE = "closure_notice"


def _entry(booked: BookedBed, contact: ContactDetails | None) -> dict[str, str]:
    """One affected booking, as the 409's `affected` member lists it."""
    return {
        "booking_id": str(booked.booking_id),
        "resident_id": str(booked.resident_id),
        "name": "" if contact is None else contact.full_name,
        "bed_id": str(booked.place.bed_id),
        "state": booked.state.value,
        "starts_on": booked.stay.start.isoformat(),
        "ends_on": booked.stay.end.isoformat(),
    }


class PlaceClosure:
    """Closes a bed, a room or a building (`target`, `target_id`) from `starts_on` until the
    day before `ends_on`, for a `reason`. Its beds are offered to nobody for those nights.

    - `target_id` must name a bed, room or building of that kind (422); the dates are at least
      one day and at most two years (422); the reason is 1 to 500 characters;
    - when held, confirmed or checked-in bookings use the covered beds on some of those days,
      the closure is refused (409) with `affected`: each booking, its resident and name, bed,
      state and stay; with `force: true` it is placed anyway and each of those residents is
      emailed (`closure_notice`) in the same transaction. Bookings are never cancelled by a
      closure: the office moves or cancels them.
    """

    def __init__(
        self,
        uow: ClosuresUnitOfWorkFactory,
        queries: ClosureQueries,
        facts: AllocationQueries,
        notifier: Notifier,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._facts = facts
        self._notifier = notifier
        self._clock = clock

    async def __call__(self, placed_by: UUID | None, command: PlaceClosureCommand) -> ClosureView:
        dates = DateRange.of(command.starts_on, command.ends_on)
        if not await self._queries.target_exists(command.target, command.target_id):
            raise InvalidValue("target_id", f"no {command.target} has id {command.target_id}")
        closure = new_closure(
            command.target, command.target_id, dates, command.reason, self._clock.now(), placed_by
        )
        booked = await self._queries.booked_beds(command.target, command.target_id, dates)
        met = affected(closure, booked)
        contacts = {b.resident_id: await self._facts.contact(b.resident_id) for b in met}
        if met and not command.force:
            raise ClosureMeetsBookings([_entry(b, contacts[b.resident_id]) for b in met])
        notices = [self._notice(closure, b, contacts[b.resident_id]) for b in met]
        async with self._uow() as uow:
            await uow.closures.add(closure)
            await uow.outbox.add_all([notice for notice in notices if notice is not None])
            await uow.commit()
        if met:
            await self._notifier.deliver_soon()
        return await _read(self._queries, closure.id)

    def _notice(
        self, closure: Closure, booked: BookedBed, contact: ContactDetails | None
    ) -> Notification | None:
        if contact is None:
            return None
        data = {
            "first_name": contact.first_name,
            "closed_from": closure.dates.start.isoformat(),
            "reopens_on": closure.dates.end.isoformat(),
            "reason": closure.reason,
            "starts_on": booked.stay.start.isoformat(),
            "ends_on": booked.stay.end.isoformat(),
        }
        return self._notifier.email(
            CLOSURE_NOTICE,
            to=contact.email,
            name=contact.full_name,
            data=data,
            source=f"closure:{closure.id}",
        )


async def _read(queries: ClosureQueries, closure_id: UUID) -> ClosureView:
    view = await queries.closure(closure_id)
    if view is None:
        raise NotFound("closure", closure_id)
    return view


class LiftClosure:
    """Ends a closure early, or withdraws one placed by mistake: the record is deleted and the
    beds it covered are offered to the waitlist for its dates in the background (task
    `bookings.offer_beds`; a bed another closure still covers stays closed)."""

    def __init__(
        self, uow: ClosuresUnitOfWorkFactory, queries: ClosureQueries, tasks: BackgroundTasks
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._tasks = tasks

    async def __call__(self, closure_id: UUID) -> None:
        async with self._uow() as uow:
            closure = await uow.closures.get(closure_id)
            if closure is None:
                raise NotFound("closure", closure_id)
            await uow.closures.delete(closure_id)
            await uow.commit()
        beds = await self._queries.covered_beds(closure.target, closure.target_id)
        if beds:
            await offer_beds_later(self._tasks, beds, closure.dates)


class GetClosure:
    """Reads one closure."""

    def __init__(self, queries: ClosureQueries) -> None:
        self._queries = queries

    async def __call__(self, closure_id: UUID) -> ClosureView:
        return await _read(self._queries, closure_id)


class ListClosures:
    """Lists closures, the latest start first: all of them, those of a building (on the
    building itself, its rooms or its beds), those in force on a day (`active_on`)."""

    def __init__(self, queries: ClosureQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: ClosureFilter, page: PageRequest) -> ClosurePage:
        return await self._queries.closures(criteria, page)
