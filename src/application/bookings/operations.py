"""What the residence office does with a booking once it has a bed: check-in, check-out, move."""

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from application.bookings.commands import (
    CheckInBookingCommand,
    CheckOutBookingCommand,
    MoveBookingCommand,
)
from application.bookings.notices import BookingChanges
from application.bookings.ports import BookingsUnitOfWorkFactory, ClosureQueries
from application.bookings.views import BookingView, booking_view
from application.bookings.waitlist import OFFER_TASK, offer_beds_later, offer_later
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.bookings import rules
from domain.bookings.errors import BedClosed, DateOutsideStay
from domain.bookings.model import Booking
from domain.shared.errors import Conflict, Forbidden, InvalidValue, NotFound


async def _office_booking(
    uow: BookingsUnitOfWorkFactory, caller: Principal, booking_id: UUID
) -> Booking:
    if not caller.is_office:
        raise Forbidden("only the residence office records arrivals, departures and moves")
    async with uow() as work:
        booking = await work.bookings.get(booking_id)
    if booking is None:
        raise NotFound("booking", booking_id)
    return booking


async def _store(changes: BookingChanges, changed: Booking, was: Booking, notice: str = "") -> None:
    """One conditional update from the state read; the resident is told after the commit."""
    if not await changes.store(changed, was.state, notice or None):
        raise Conflict("the booking changed meanwhile; read it and try again", "state")
    await changes.committed(changed)


class _DayStep:
    """Check-in and check-out: a step of the rules on a day, `on`, today (UTC) by default; a
    day the stay does not allow is reported on the request's field, `on`."""

    def __init__(
        self, uow: BookingsUnitOfWorkFactory, changes: BookingChanges, clock: Clock
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock

    async def _record(
        self,
        caller: Principal,
        booking_id: UUID,
        step: Callable[[Booking, date, datetime], Booking],
        on: date | None,
    ) -> Booking:
        booking = await _office_booking(self._uow, caller, booking_id)
        now = self._clock.now()
        try:
            changed = step(booking, on or now.date(), now)
        except DateOutsideStay as wrong_day:
            raise InvalidValue("on", wrong_day.reason) from wrong_day
        await _store(self._changes, changed, booking)
        return changed


class CheckInBooking(_DayStep):
    """Records a resident's arrival: a confirmed booking becomes `checked_in`, with
    `checked_in_on`.

    - the office only (403 for anyone else);
    - `on` is the day of arrival, today (UTC) if left out; it must be a night of the stay
      (422 naming `on`): no early arrivals, and arriving on the departure morning makes no night;
    - only a confirmed booking checks in (409 otherwise: an unpaid hold, a finished booking);
    - the change is published on `residents.{resident_id}`; no email.
    """

    async def __call__(
        self, caller: Principal, booking_id: UUID, command: CheckInBookingCommand
    ) -> BookingView:
        return booking_view(await self._record(caller, booking_id, rules.check_in, command.on))


class CheckOutBooking(_DayStep):
    """Records a resident's departure: a checked-in booking becomes `checked_out`, with
    `checked_out_on`, and its bed is free again.

    - the office only (403 for anyone else);
    - `on` is the day of departure, today (UTC) if left out; not before the check-in day (422
      naming `on`), and it may be later than the stay's end: it records when they really left;
    - only a checked-in booking checks out (409 otherwise);
    - the resident is emailed, the change published on `residents.{resident_id}`, and the bed
      offered to the waitlist in the background (task `bookings.offer_freed_bed`).
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        super().__init__(uow, changes, clock)
        self._tasks = tasks

    async def __call__(
        self, caller: Principal, booking_id: UUID, command: CheckOutBookingCommand
    ) -> BookingView:
        checked_out = await self._record(caller, booking_id, rules.check_out, command.on)
        await offer_later(self._tasks, OFFER_TASK, booking_id=str(booking_id))
        return booking_view(checked_out)


class MoveBooking:
    """Moves a held, confirmed or checked-in booking to another bed for the same stay.

    - the office only (403 for anyone else);
    - `bed_id` must name a bed (422) other than the booking's own (422);
    - a bed closed for any night of the stay is refused (409 naming `bed_id`);
    - the move is one conditional update: the database's no-overlap rule decides whether the
      bed is free, and a clash answers 409 naming `bed_id` with nothing changed;
    - a booking in another state cannot move (409);
    - the resident is emailed, the change published on `residents.{resident_id}`, and the old
      bed offered to the waitlist in the background (task `bookings.offer_beds`).
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        closures: ClosureQueries,
        changes: BookingChanges,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._closures = closures
        self._changes = changes
        self._tasks = tasks
        self._clock = clock

    async def __call__(
        self, caller: Principal, booking_id: UUID, command: MoveBookingCommand
    ) -> BookingView:
        booking = await _office_booking(self._uow, caller, booking_id)
        if await self._closures.bed_place(command.bed_id) is None:
            raise InvalidValue("bed_id", f"no bed has id {command.bed_id}")
        moved = rules.move(booking, command.bed_id, self._clock.now())
        if await self._closures.bed_closed(command.bed_id, booking.stay):
            raise BedClosed()
        await _store(self._changes, moved, booking, "booking_moved")
        if booking.bed_id is not None:
            await offer_beds_later(self._tasks, [booking.bed_id], booking.stay)
        return booking_view(moved)
