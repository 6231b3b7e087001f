"""Reminding residents whose held bed is about to be released unpaid."""

from datetime import timedelta

from application.bookings.notices import BookingChanges
from application.bookings.ports import BookingsUnitOfWorkFactory
from application.shared.ports import Clock
from domain.bookings import rules
from domain.bookings.billing import balance

WARN_EXPIRING_TASK = "bookings.warn_expiring_holds"
REMINDER_BATCH = 100
# The reminder goes out when a third of the hold is left: 10 minutes of the default 30.
WARN_FRACTION = 3


class WarnExpiringHolds:
    """Emails each resident whose bed is held unpaid and whose deadline is near (a third of
    HOLD_MINUTES left), with the link to pay. Once per booking: that the reminder was sent is
    stored with it, so a second run, or two at once, send nothing more. Run on a schedule."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        clock: Clock,
        hold_for: timedelta,
        batch_size: int = REMINDER_BATCH,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._clock = clock
        self._warn_before = hold_for / WARN_FRACTION
        self._batch_size = batch_size

    async def __call__(self) -> int:
        now = self._clock.now()
        async with self._uow() as uow:
            due = await uow.payments.holds_to_remind(now, now + self._warn_before, self._batch_size)
        warned = 0
        for booking_id in due:
            async with self._uow() as uow:
                booking = await uow.bookings.get(booking_id)
                standing = balance(await uow.payments.of_booking(booking_id))
            if booking is None or not rules.hold_expiring_soon(booking, now, self._warn_before):
                continue  # paid or released since the first read
            checkout = None if standing is None else standing.open_checkout
            if checkout is None:
                continue  # nothing to pay through (a hold older than payments): no link to send
            warned += await self._changes.remind(booking, checkout, now)
        return warned
