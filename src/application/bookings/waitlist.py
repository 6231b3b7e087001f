"""Beds coming free: unpaid holds released at their deadline, a freed bed offered to the
waitlist."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from uuid import UUID

from application.bookings.notices import BookingChanges
from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.shared.ports import BackgroundTasks, Clock
from domain.bookings import rules
from domain.bookings.allocation import CandidateBed, choose_bed, matches_waitlisted
from domain.bookings.model import Booking, BookingState
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict, NotFound

logger = logging.getLogger(__name__)

OFFER_TASK = "bookings.offer_freed_bed"
OFFER_BEDS_TASK = "bookings.offer_beds"
EXPIRE_HOLDS_TASK = "bookings.expire_holds"
EXPIRY_BATCH = 100
# How far down the queue one freed bed looks; each booking looked at costs a few reads.
QUEUE_DEPTH = 50


class OfferBeds:
    """Offers beds that came free for `stay` to the waitlist. Safe to run twice: a bed already
    offered is no longer free.

    - the queue is first come, first served by `waitlisted_at`, among the waitlisted bookings
      whose stay overlaps the freed one; each in turn gets the best of the beds still on offer
      (see domain.bookings.allocation) that it fits, if any;
    - a waitlisted booking fits a bed only if the bed is free for its whole stay (no active
      booking, no closure), the bed answers it (its named bed or room, its preferences, the
      building's gender policy, an accessible room when the resident needs one) and the
      resident may still book (not a former resident, no other active booking for those dates);
    - the offer is a hold with its own deadline, HOLD_MINUTES from now, emailed to the resident
      and published on their topic; a bed nobody fits stays free for the next request.
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

    async def __call__(self, bed_ids: Iterable[UUID], stay: DateRange) -> list[Booking]:
        on_offer = set(bed_ids)
        async with self._uow() as uow:
            queue = await uow.bookings.waitlisted_during(stay, QUEUE_DEPTH)
        held: list[Booking] = []
        for booking in queue:
            if not on_offer:
                break
            bed = await self._best_bed(booking, on_offer)
            if bed is None:
                continue
            offered, bed_gone = await self._hold(booking, bed.bed_id)
            if bed_gone:
                on_offer.discard(bed.bed_id)
            if offered is not None:
                held.append(offered)
        return held

    async def _best_bed(self, booking: Booking, on_offer: set[UUID]) -> CandidateBed | None:
        resident = await self._facts.resident(booking.resident_id)
        if resident is None:
            return None
        free = [bed for bed in await self._facts.free_beds(booking.stay) if bed.bed_id in on_offer]
        fitting = [bed for bed in free if matches_waitlisted(booking, bed, resident)]
        if not fitting or await self._facts.has_active_booking(booking.resident_id, booking.stay):
            return None
        return choose_bed(fitting, resident, booking.preferences)

    async def _hold(self, booking: Booking, bed_id: UUID) -> tuple[Booking | None, bool]:
        """The booking as held, if it was; and whether the bed is gone from the offer."""
        held = rules.hold(booking, bed_id, self._clock.now(), self._hold_for)
        try:
            stored = await self._changes.store(held, BookingState.WAITLISTED)
        except Conflict as lost:
            if lost.field not in ("bed_id", "resident_id"):
                raise
            # A request took the bed, or the resident got another one, meanwhile.
            logger.info("offer of bed %s to %s lost a race on %s", bed_id, booking.id, lost.field)
            return None, lost.field == "bed_id"
        if not stored:
            return None, False  # cancelled or offered elsewhere meanwhile: the bed is still free
        await self._changes.committed(held)
        return held, True


class OfferFreedBed:
    """Offers the bed of a booking that stopped being active (its hold expired, it was
    cancelled, the resident checked out) to the waitlist, for the booking's stay; see
    OfferBeds for who gets it. Safe to run twice."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        changes: BookingChanges,
        clock: Clock,
        hold_for: timedelta,
    ) -> None:
        self._uow = uow
        self._offer = OfferBeds(uow, facts, changes, clock, hold_for)

    async def __call__(self, freed_booking_id: UUID) -> Booking | None:
        async with self._uow() as uow:
            freed = await uow.bookings.get(freed_booking_id)
        if freed is None:
            raise NotFound("booking", freed_booking_id)
        if freed.active or freed.bed_id is None:
            return None  # the booking never held a bed, or holds it still
        held = await self._offer([freed.bed_id], freed.stay)
        return held[0] if held else None


async def offer_later(tasks: BackgroundTasks, task: str, **arguments: object) -> None:
    """Asks a worker to offer freed beds, after the change that freed them is committed. A
    broker that cannot take the task now leaves the beds free for the next request rather than
    failing a change already saved."""
    try:
        await tasks.enqueue(task, **arguments)
    except Exception as error:  # whatever the broker's trouble, the change is saved
        logger.warning("could not offer freed beds now (%s): %s", task, error)


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


async def offer_beds_later(
    tasks: BackgroundTasks, bed_ids: Iterable[UUID], stay: DateRange
) -> None:
    """Asks a worker to run OfferBeds (task `bookings.offer_beds`) once the change is saved."""
    await offer_later(
        tasks,
        OFFER_BEDS_TASK,
        bed_ids=[str(bed_id) for bed_id in bed_ids],
        starts_on=stay.start.isoformat(),
        ends_on=stay.end.isoformat(),
    )
