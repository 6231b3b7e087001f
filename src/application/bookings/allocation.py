"""Allocating a bed to a request, in the background."""

import logging
from datetime import timedelta
from typing import Any
from uuid import UUID

from application.bookings.notices import BookingChanges
from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.jobs.reporter import JobReporter
from application.shared.ports import Clock
from domain.bookings import rules
from domain.bookings.allocation import CandidateBed, check_eligibility, choose_bed
from domain.bookings.errors import NotEligible
from domain.bookings.model import Booking, BookingState
from domain.jobs.errors import IllegalTransition as JobAlreadyDone
from domain.shared.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

RESUME_TASK = "bookings.resume_allocations"
# A request still `requested` this long after it was made lost its task, or gave up.
RESUME_AFTER = timedelta(minutes=1)
RESUME_BATCH = 100
# Each lost race re-reads the free beds; racers for one bed settle in two attempts, this bound
# only stops a pathological storm from looping forever (the job then fails, nothing is held).
MAX_ALLOCATION_ATTEMPTS = 10


class AllocationContended(Conflict):
    def __init__(self, attempts: int) -> None:
        super().__init__(
            f"every bed chosen in {attempts} attempts was taken meanwhile; request again",
            field="bed_id",
        )


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
      partly occupied rooms first (see domain.bookings.allocation);
    - the bed is held until now + the hold time (HOLD_MINUTES) for payment;
    - when another allocation takes the chosen bed first, the free beds are read again and the
      next best is tried; when none is left the booking is waitlisted (`waitlisted_at` = now);
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
        max_attempts: int = MAX_ALLOCATION_ATTEMPTS,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._jobs = jobs
        self._changes = changes
        self._clock = clock
        self._hold_for = hold_for
        self._max_attempts = max_attempts

    async def __call__(self, booking_id: UUID) -> Booking:
        booking = await self._load(booking_id)
        job_id = booking.job_id
        if job_id is not None:
            try:
                await self._jobs.start(job_id)
            except JobAlreadyDone:  # a redelivered task whose work is done
                return booking
        try:
            decided = await self._allocate(booking_id)
        except Exception as error:
            if job_id is not None:
                await self._jobs.fail(job_id, str(error))
            raise
        if job_id is not None:
            result: dict[str, Any] = {"state": decided.state.value, "bed_id": decided.bed_id}
            await self._jobs.succeed(job_id, result)
        return decided

    async def _load(self, booking_id: UUID) -> Booking:
        async with self._uow() as uow:
            booking = await uow.bookings.get(booking_id)
        if booking is None:
            raise NotFound("booking", booking_id)
        return booking

    async def _allocate(self, booking_id: UUID) -> Booking:
        for _ in range(self._max_attempts):
            booking = await self._load(booking_id)
            if booking.state is not BookingState.REQUESTED:
                return booking  # decided by an earlier run, or cancelled meanwhile
            decided = await self._decide(booking)
            try:
                stored = await self._changes.store(decided, BookingState.REQUESTED)
            except Conflict as lost:
                if lost.field not in ("bed_id", "resident_id"):
                    raise
                # Another allocation committed first; the next attempt reads what it took.
                logger.info("allocation of %s lost a race on %s", booking_id, lost.field)
                continue
            if stored:
                await self._changes.committed(decided)
                return decided
        raise AllocationContended(self._max_attempts)

    async def _decide(self, booking: Booking) -> Booking:
        now = self._clock.now()
        resident = await self._facts.resident(booking.resident_id)
        if resident is None:
            return rules.reject(booking, "the resident's record no longer exists", now)
        try:
            overlapping = await self._facts.has_active_booking(booking.resident_id, booking.stay)
            check_eligibility(resident, overlapping)
        except NotEligible as refusal:
            return rules.reject(booking, refusal.message, now)
        free = await self._facts.free_beds(booking.stay)
        wanted = [bed for bed in free if _answers_request(booking, bed)]
        chosen = choose_bed(wanted, resident, booking.preferences)
        if chosen is None:
            return rules.waitlist(booking, now)
        return rules.hold(booking, chosen.bed_id, now, self._hold_for)


class ResumeAllocations:
    """Allocates every request still `requested` a minute after it was made: its task was lost
    (a broker that was down, a worker that died) or gave up after too many lost races. Run on
    a schedule; safe beside the tasks themselves, since allocation is."""

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
            try:
                await self._allocate(booking_id)
            except AllocationContended as error:  # the next round tries again
                logger.warning("allocation of %s still contended: %s", booking_id, error)
        return len(pending)
