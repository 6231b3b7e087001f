"""Allocating a bed to a request, in the background."""

import contextlib
import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from application.bookings.notices import BookingChanges
from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.jobs.reporter import JobReporter
from application.shared.ports import Clock
from domain.bookings import rules
from domain.bookings.allocation import (
    CandidateBed,
    ResidentFacts,
    check_eligibility,
    choose_bed_for,
)
from domain.bookings.errors import Ineligibility, NotEligible
from domain.bookings.model import Booking, BookingState
from domain.jobs.errors import IllegalTransition as JobAlreadyDone
from domain.shared.errors import ConcurrentChange, Conflict, NotFound

logger = logging.getLogger(__name__)

RESUME_TASK = "bookings.resume_allocations"
# A request still `requested` this long after it was made lost its task, or its task failed.
RESUME_AFTER = timedelta(minutes=1)
RESUME_BATCH = 100


def _answers_request(booking: Booking, bed: CandidateBed) -> bool:
    if booking.requested_bed_id is not None and bed.bed_id != booking.requested_bed_id:
        return False
    return booking.requested_room_id is None or bed.room_id == booking.requested_room_id


class AllocateBooking:
    """Decides a requested booking: held, waitlisted or rejected. Safe to run twice, or twice
    at once: a booking no longer `requested` is left as it is.

    - rejected, with the reason, when the resident is a former resident or already has an
      active booking overlapping the stay;
    - otherwise a free bed is chosen among the active beds of active rooms in active buildings
      with no active booking overlapping the stay, that the request names (its bed, its room)
      and that suit the resident and their preferences (gender policy, accessibility); then
      partly occupied rooms first, and among beds of equal standing the one this booking draws
      by its id, so that simultaneous requests spread instead of all trying the same bed (see
      domain.bookings.allocation);
    - the bed is held until now + the hold time (HOLD_MINUTES) for payment;
    - when another allocation takes the chosen bed first, that bed is set aside and the next
      is tried from the same reading; once none is left the free beds are read again, and
      when that reading offers none either the booking is waitlisted (`waitlisted_at` = now);
    - when the resident got another active booking for the dates meanwhile, the request is
      rejected as if that booking had been there from the start;
    - losing races never fails a request: each lost race sets aside a bed someone else took,
      so a request ends held, waitlisted or rejected after at most one try per bed;
    - the resident is emailed the outcome and it is published on `residents.{resident_id}`;
      the job's result is `{"state", "bed_id"}`.
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        jobs: JobReporter,
        changes: BookingChanges,
        clock: Clock,
        hold_for: timedelta,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._jobs = jobs
        self._changes = changes
        self._clock = clock
        self._hold_for = hold_for

    async def __call__(self, booking_id: UUID) -> Booking:
        booking = await self._load(booking_id)
        job_id = booking.job_id
        if job_id is not None:
            try:
                await self._jobs.start(job_id)
            except JobAlreadyDone:  # a redelivered task whose work is done
                return booking
        try:
            decided = await self._allocate(booking)
        except Exception as error:
            if job_id is not None:
                await self._jobs.fail(job_id, str(error))
            raise
        if job_id is not None:
            result: dict[str, Any] = {"state": decided.state.value, "bed_id": decided.bed_id}
            # A run at once (the resume sweep) may have reported the same outcome first.
            with contextlib.suppress(JobAlreadyDone):
                await self._jobs.succeed(job_id, result)
        return decided

    async def _load(self, booking_id: UUID) -> Booking:
        async with self._uow() as uow:
            booking = await uow.bookings.get(booking_id)
        if booking is None:
            raise NotFound("booking", booking_id)
        return booking

    async def _allocate(self, booking: Booking) -> Booking:
        # Read before the job started: a run that moved it since makes the store refuse.
        if booking.state is not BookingState.REQUESTED:
            return booking  # decided by an earlier run, or cancelled meanwhile
        resident = await self._facts.resident(booking.resident_id)
        if resident is None:
            gone = "the resident's record no longer exists"
            return await self._settle(rules.reject(booking, gone, self._clock.now()))
        overlapping = await self._facts.has_active_booking(booking.resident_id, booking.stay)
        try:
            check_eligibility(resident, overlapping)
        except NotEligible as refusal:
            return await self._settle(rules.reject(booking, refusal.message, self._clock.now()))
        return await self._hold_or_waitlist(booking, resident)

    async def _hold_or_waitlist(self, booking: Booking, resident: ResidentFacts) -> Booking:
        # Every lost race adds a bed someone else holds to `lost`, and a reading follows only a
        # lost race, so this ends after at most one try per bed of the campus.
        lost: set[UUID] = set()
        free: list[CandidateBed] = []
        fresh = False
        while True:
            chosen = choose_bed_for(booking.id, free, resident, booking.preferences, lost)
            if chosen is None and not fresh:
                free, fresh = await self._wanted_beds(booking), True
                continue
            if chosen is None:
                return await self._settle(rules.waitlist(booking, self._clock.now()))
            settled = await self._try_hold(booking, chosen.bed_id)
            if settled is not None:
                return settled
            logger.info("allocation of %s lost bed %s to another", booking.id, chosen.bed_id)
            lost.add(chosen.bed_id)
            fresh = False  # the reading is older than a commit we now know of

    async def _try_hold(self, booking: Booking, bed_id: UUID) -> Booking | None:
        """The booking as settled, or None when another allocation holds the bed."""
        held = rules.hold(booking, bed_id, self._clock.now(), self._hold_for)
        try:
            return await self._settle(held)
        except Conflict as lost:
            # A deadlock between two holds is a race on this bed too: the other one won it.
            if lost.field == "bed_id" or isinstance(lost, ConcurrentChange):
                return None
            if lost.field != "resident_id":
                raise
        # The resident's other booking for these dates committed first: the refusal the
        # eligibility check gives when it sees that booking.
        overlapping = NotEligible(Ineligibility.OVERLAPPING_BOOKING).message
        return await self._settle(rules.reject(booking, overlapping, self._clock.now()))

    async def _settle(self, decided: Booking) -> Booking:
        """Stores the decision with its email, unless another run moved the booking first:
        then the booking as that run left it."""
        if await self._changes.store(decided, BookingState.REQUESTED):
            await self._changes.committed(decided)
            return decided
        return await self._load(decided.id)

    async def _wanted_beds(self, booking: Booking) -> list[CandidateBed]:
        free = await self._facts.free_beds(booking.stay)
        return [bed for bed in free if _answers_request(booking, bed)]


class ResumeAllocations:
    """Allocates every request still `requested` a minute after it was made: its task was lost
    (a broker that was down, a worker that died) or failed. Run on a schedule; safe beside the
    tasks themselves, since allocation is."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        allocate: AllocateBooking,
        clock: Clock,
        batch_size: int = RESUME_BATCH,
    ) -> None:
        self._uow = uow
        self._allocate = allocate
        self._clock = clock
        self._batch_size = batch_size

    async def __call__(self) -> int:
        cutoff = self._clock.now() - RESUME_AFTER
        async with self._uow() as uow:
            pending = await uow.bookings.requested_before(cutoff, self._batch_size)
        for booking_id in pending:
            await self._allocate(booking_id)
        return len(pending)
