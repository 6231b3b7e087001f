"""Requesting a booking: the request is checked and stored, allocation runs in the background."""

import logging
from dataclasses import replace
from datetime import date
from uuid import UUID

from application.bookings.commands import PreferencesInput, RequestBookingCommand
from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.bookings.views import RequestedBookingView, requested_booking_view
from application.jobs.reporter import JobReporter
from application.shared.ports import BackgroundTasks, Clock
from domain.accounts.model import Principal
from domain.bookings.model import BedPreferences, Booking
from domain.bookings.stays import requested_stay, stay_for_term
from domain.shared.dates import DateRange
from domain.shared.errors import InvalidValue

logger = logging.getLogger(__name__)

ALLOCATE_TASK = "bookings.allocate"
ALLOCATE_JOB = "bookings.allocate"


def _preferences(given: PreferencesInput | None) -> BedPreferences:
    if given is None:
        return BedPreferences()
    return BedPreferences(given.building_id, given.room_type, given.accessible)


def _check_one_target(command: RequestBookingCommand) -> None:
    named = [
        name
        for name, value in (
            ("bed_id", command.bed_id),
            ("room_id", command.room_id),
            ("preferences", command.preferences),
        )
        if value is not None
    ]
    if len(named) > 1:
        raise InvalidValue(named[1], "give one of bed_id, room_id or preferences, not several")


class RequestBooking:
    """Records a request for a bed and starts its allocation in the background (202).

    - a resident books for themself; the office books for any resident, named by `resident_id`;
    - what is asked for is one of: a bed (`bed_id`), a room (`room_id`), or `preferences`
      (building, room type, accessible); none of them means any suitable bed;
    - the stay is a term (`term_id`: its dates, or what is left of a term under way) or explicit
      dates (`starts_on`, `ends_on`, half-open), not both; it may not start before today and
      lasts 1 to 366 nights;
    - an unknown resident, bed, room, building or term answers 422 naming the field;
    - the booking is `requested`; the allocation is a job (`GET /api/jobs/{job_id}`, pushed on
      `jobs.{job_id}`) that holds a bed, waitlists or rejects the booking, and publishes each
      change on the resident's topic `residents.{resident_id}`.
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        jobs: JobReporter,
        tasks: BackgroundTasks,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock

    async def __call__(
        self, caller: Principal, command: RequestBookingCommand
    ) -> RequestedBookingView:
        now = self._clock.now()
        _check_one_target(command)
        resident_id = await self._resident_of(caller, command)
        stay = await self._stay_of(command, now.date())
        await self._check_targets(command)
        booking = Booking(
            resident_id=resident_id,
            stay=stay,
            requested_at=now,
            requested_bed_id=command.bed_id,
            requested_room_id=command.room_id,
            preferences=_preferences(command.preferences),
            term_id=command.term_id,
        )
        job_id = await self._jobs.create(
            ALLOCATE_JOB, {"booking_id": str(booking.id)}, caller.user_id
        )
        booking = replace(booking, job_id=job_id)
        async with self._uow() as uow:
            await uow.bookings.add(booking)
            await uow.commit()
        await self._start_allocation(booking.id)
        return requested_booking_view(booking, job_id)

    async def _resident_of(self, caller: Principal, command: RequestBookingCommand) -> UUID:
        # Whether the caller may name this resident is the HTTP layer's check (404 otherwise).
        resident_id = command.resident_id or caller.resident_id
        if resident_id is None:
            raise InvalidValue("resident_id", "name the resident the bed is for")
        if await self._facts.resident(resident_id) is None:
            raise InvalidValue("resident_id", f"names no resident ({resident_id})")
        return resident_id

    async def _stay_of(self, command: RequestBookingCommand, today: date) -> DateRange:
        dates = (command.starts_on, command.ends_on)
        if command.term_id is not None:
            if dates != (None, None):
                raise InvalidValue("term_id", "give a term or dates, not both")
            term_dates = await self._facts.term_dates(command.term_id)
            if term_dates is None:
                raise InvalidValue("term_id", f"names no term ({command.term_id})")
            return stay_for_term(term_dates, today)
        if command.starts_on is None:
            raise InvalidValue("starts_on", "give the dates of the stay, or a term_id")
        if command.ends_on is None:
            raise InvalidValue("ends_on", "give the departure date")
        return requested_stay(command.starts_on, command.ends_on, today)

    async def _check_targets(self, command: RequestBookingCommand) -> None:
        if command.bed_id is not None and not await self._facts.bed_exists(command.bed_id):
            raise InvalidValue("bed_id", f"names no bed ({command.bed_id})")
        if command.room_id is not None and not await self._facts.room_exists(command.room_id):
            raise InvalidValue("room_id", f"names no room ({command.room_id})")
        building_id = None if command.preferences is None else command.preferences.building_id
        if building_id is not None and not await self._facts.building_exists(building_id):
            raise InvalidValue("preferences.building_id", f"names no building ({building_id})")

    async def _start_allocation(self, booking_id: UUID) -> None:
        # The request is stored: a broker that cannot take the task now must not turn the
        # caller's 202 into a 500; the scheduled bookings.resume_allocations allocates it.
        try:
            await self._tasks.enqueue(ALLOCATE_TASK, booking_id=str(booking_id))
        except Exception as error:  # whatever the broker's trouble, the request is saved
            logger.warning("could not start allocation of %s now (%s)", booking_id, error)
