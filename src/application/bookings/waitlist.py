"""Beds coming free: unpaid holds released at their deadline, a freed bed offered to the
waitlist."""

import logging
from datetime import timedelta
from uuid import UUID

from application.bookings.notices import BookingChanges
from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.shared.ports import Clock
from domain.bookings import rules
from domain.bookings.allocation import CandidateBed, ResidentFacts, first_waitlisted
from domain.bookings.model import Booking, BookingState
from domain.shared.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

OFFER_TASK = "bookings.offer_freed_bed"
EXPIRE_HOLDS_TASK = "bookings.expire_holds"
EXPIRY_BATCH = 100
# How far down the queue one freed bed looks; each booking looked at costs a few reads.
QUEUE_DEPTH = 50


class OfferFreedBed:
    """Offers the bed of a booking that stopped being active (its hold expired, it was
    cancelled) to the waitlist. Safe to run twice: a bed already offered is no longer free.

    - the queue is first come, first served by `waitlisted_at`, among the waitlisted bookings
      whose stay overlaps the freed one;
    - a waitlisted booking is offered the bed only if the bed is free for its whole stay, the
      bed answers it (its named bed or room, its preferences, the building's gender policy, an
      accessible room when the resident needs one) and the resident may still book (not a
      former resident, no other active booking for those dates);
    - the offer is a hold with its own deadline, HOLD_MINUTES from now, emailed to the resident
      and published on their topic; when nobody fits, the bed stays free for the next request.
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        changes: BookingChanges,
        clock: Clock,
        hold_for: timedelta,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._changes = changes
        self._clock = clock
        self._hold_for = hold_for

    async def __call__(self, freed_booking_id: UUID) -> Booking | None:
        async with self._uow() as uow:
            freed = await uow.bookings.get(freed_booking_id)
            if freed is None:
                raise NotFound("booking", freed_booking_id)
            if freed.active or freed.bed_id is None:
                return None  # the booking never held a bed, or holds it still
            queue = await uow.bookings.waitlisted_during(freed.stay, QUEUE_DEPTH)
        bed, candidates = await self._candidates(queue, freed.bed_id)
        chosen = None if bed is None else first_waitlisted(candidates, bed)
        return None if chosen is None else await self._hold(chosen, freed.bed_id)

    async def _candidates(
        self, queue: list[Booking], bed_id: UUID
    ) -> tuple[CandidateBed | None, list[tuple[Booking, ResidentFacts]]]:
        """The bookings the bed is free for and whose resident may book, with the bed as seen
        for one of them (what matching looks at does not depend on the dates)."""
        bed = None
        candidates = []
        for booking in queue:
            free = {
                candidate.bed_id: candidate
                for candidate in await self._facts.free_beds(booking.stay)
            }
            resident = await self._facts.resident(booking.resident_id)
            if bed_id not in free or resident is None:
                continue
            if await self._facts.has_active_booking(booking.resident_id, booking.stay):
                continue
            bed = free[bed_id]
            candidates.append((booking, resident))
        return bed, candidates

    async def _hold(self, booking: Booking, bed_id: UUID) -> Booking | None:
        held = rules.hold(booking, bed_id, self._clock.now(), self._hold_for)
        try:
            stored = await self._changes.store(held, BookingState.WAITLISTED)
        except Conflict as lost:
            if lost.field not in ("bed_id", "resident_id"):
                raise
            # A request took the bed (or the resident got another) meanwhile: nothing to offer.
            logger.info("offer of bed %s to %s lost a race on %s", bed_id, booking.id, lost.field)
            return None
        if not stored:
            return None  # cancelled or offered elsewhere meanwhile
        await self._changes.committed(held)
        return held


class ExpireHolds:
    """Releases every hold whose deadline has passed unpaid: the booking becomes `expired` and
    its bed is free again. Run on a schedule; safe to run twice, or twice at once (a hold paid
    or expired meanwhile is left alone). Each resident is emailed, the change is published on
    their topic, and each released bed is offered to the waitlist (see OfferFreedBed)."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        clock: Clock,
        offers: OfferFreedBed,
        batch_size: int = EXPIRY_BATCH,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock
        self._offers = offers
        self._batch_size = batch_size

    async def __call__(self) -> int:
        now = self._clock.now()
        expired = 0
        while True:
            async with self._uow() as uow:
                due = await uow.bookings.expired_holds(now, self._batch_size)
            for booking in due:
                expired += await self._expire(rules.expire(booking, now))
            if len(due) < self._batch_size:
                return expired

    async def _expire(self, booking: Booking) -> int:
        if not await self._changes.store(booking, BookingState.HELD):
            return 0
        await self._changes.committed(booking)
        await self._offers(booking.id)
        return 1
