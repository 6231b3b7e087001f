"""Reading bookings and availability, and cancelling a booking."""

import logging
from collections import Counter
from uuid import UUID

import msgspec

from application.bookings.commands import CancelBookingCommand
from application.bookings.notices import BookingChanges
from application.bookings.ports import (
    AllocationQueries,
    BookingQueries,
    BookingsUnitOfWork,
    BookingsUnitOfWorkFactory,
)
from application.bookings.views import (
    AvailabilityFilter,
    AvailabilityView,
    BookingFilter,
    BookingPage,
    BookingView,
    FreeCount,
    booking_view,
    free_bed_view,
)
from application.bookings.waitlist import OFFER_TASK, offer_later
from application.payments.views import booking_payment_view
from application.shared.paging import PageRequest
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.bookings import rules
from domain.bookings.allocation import CandidateBed, waitlist_position
from domain.bookings.billing import balance
from domain.bookings.model import Booking, BookingState
from domain.bookings.stays import stay_of
from domain.shared.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

# A position past this many is reported as this many plus one: far down the line either way.
MAX_QUEUE_READ = 1000


def _visible(caller: Principal, booking: Booking | BookingView | None, booking_id: UUID) -> None:
    # Another resident's booking answers like a missing one: a 403 would confirm the id.
    if booking is None or not caller.may_see_resident(booking.resident_id):
        raise NotFound("booking", booking_id)


class GetBooking:
    """Reads a booking. The office reads every booking; a resident only their own (another's
    answers 404, like one that does not exist). A waitlisted booking carries its
    `waitlist_position`: 1 for the next in line among the waitlisted bookings whose stay
    overlaps its own (those it competes with for a freed bed), first come, first served. A
    booking that was held carries its `payment`: the price quoted at the hold, what is paid and
    due, and while it is held the link to pay at and the deadline."""

    def __init__(self, queries: BookingQueries, uow: BookingsUnitOfWorkFactory) -> None:
        self._queries = queries
        self._uow = uow

    async def __call__(self, caller: Principal, booking_id: UUID) -> BookingView:
        view = await self._queries.booking(booking_id)
        _visible(caller, view, booking_id)
        assert view is not None
        if view.state is not BookingState.WAITLISTED:
            return await self._with_payment(view)
        async with self._uow() as uow:
            booking = await uow.bookings.get(booking_id)
            queue = [] if booking is None else await self._queue(uow, booking)
        if booking is None or booking.state is not BookingState.WAITLISTED:
            return view  # offered a bed between the two reads: the next read shows it
        position = waitlist_position(booking, queue)
        return msgspec.structs.replace(view, waitlist_position=position)

    async def _with_payment(self, view: BookingView) -> BookingView:
        async with self._uow() as uow:
            standing = balance(await uow.payments.of_booking(view.id))
        if standing is None:
            return view  # never held: nothing to pay yet
        held = view.state is BookingState.HELD
        return msgspec.structs.replace(view, payment=booking_payment_view(standing, held))

    async def _queue(self, uow: BookingsUnitOfWork, booking: Booking) -> list[Booking]:
        return await uow.bookings.waitlisted_during(booking.stay, MAX_QUEUE_READ)


class ListBookings:
    """Lists bookings, the newest request first, filtered by `resident_id`, `building_id` (of
    the allocated bed), `term_id` and `state`. A resident sees only their own bookings: the
    `resident_id` filter is theirs whatever they send (the HTTP layer answers 404 for
    another's)."""

    def __init__(self, queries: BookingQueries) -> None:
        self._queries = queries

    async def __call__(
        self, caller: Principal, criteria: BookingFilter, page: PageRequest
    ) -> BookingPage:
        if not caller.is_office:
            criteria = BookingFilter(
                resident_id=caller.resident_id or UUID(int=0),  # no resident: nothing matches
                building_id=criteria.building_id,
                term_id=criteria.term_id,
                state=criteria.state,
            )
        return await self._queries.bookings(criteria, page)


class CancelBooking:
    """Cancels a booking that is requested, waitlisted, held or confirmed; a held or confirmed
    bed is free again at once.

    - a resident cancels their own booking, before the stay starts (409 after: the office
      decides then); another resident's booking answers 404;
    - the office cancels any booking at any time;
    - a checked-in booking is checked out rather than cancelled, and a finished one cannot be
      cancelled (409);
    - the resident is emailed and the change published on `residents.{resident_id}`; a freed
      bed is offered to the waitlist in the background (task `bookings.offer_freed_bed`).
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._tasks = tasks
        self._clock = clock

    async def __call__(
        self, caller: Principal, booking_id: UUID, command: CancelBookingCommand
    ) -> BookingView:
        now = self._clock.now()
        async with self._uow() as uow:
            booking = await uow.bookings.get(booking_id)
        _visible(caller, booking, booking_id)
        assert booking is not None
        cancelled = rules.cancel(booking, now, now.date(), caller.is_office, command.reason)
        # Stored only if nothing moved the booking since it was read (an allocation, a payment).
        if not await self._changes.store(cancelled, booking.state):
            raise Conflict("the booking changed meanwhile; read it and try again", "state")
        await self._changes.committed(cancelled)
        if booking.active:
            await offer_later(self._tasks, OFFER_TASK, booking_id=str(booking_id))
        return booking_view(cancelled)


def _wanted(bed: CandidateBed, criteria: AvailabilityFilter) -> bool:
    return (
        (criteria.building_id is None or bed.building_id == criteria.building_id)
        and (criteria.room_type is None or bed.room_type is criteria.room_type)
        and (criteria.accessible is None or bed.accessible == criteria.accessible)
    )


class GetAvailability:
    """The beds free for every night of `[starts_on, ends_on)`: active beds of active rooms in
    active buildings with no held, confirmed or checked-in booking overlapping those dates,
    narrowed by `building_id`, `room_type` and `accessible`; with their count per building and
    room type. Gender policies are not applied: they depend on who books."""

    def __init__(self, facts: AllocationQueries) -> None:
        self._facts = facts

    async def __call__(self, criteria: AvailabilityFilter) -> AvailabilityView:
        stay = stay_of(criteria.starts_on, criteria.ends_on)
        beds = [bed for bed in await self._facts.free_beds(stay) if _wanted(bed, criteria)]
        counted = Counter((bed.building_id, bed.room_type) for bed in beds)
        counts = [
            FreeCount(building_id=building_id, room_type=room_type, free=free)
            for (building_id, room_type), free in sorted(counted.items(), key=str)
        ]
        return AvailabilityView(
            starts_on=stay.start,
            ends_on=stay.end,
            free=len(beds),
            counts=counts,
            beds=[free_bed_view(bed) for bed in beds],
        )
