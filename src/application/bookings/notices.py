"""What follows a change of a booking: the resident's email, queued in the change's own
transaction (with, for a hold, the checkout it is paid through), and after the commit the event
on the resident's topic and a kick of the relay."""

from collections.abc import Awaitable, Callable
from datetime import datetime

from application.bookings.ports import (
    AllocationQueries,
    BookingsUnitOfWork,
    BookingsUnitOfWorkFactory,
)
from application.bookings.views import booking_event
from application.notifications.notifier import Notifier
from application.payments.checkout import Checkouts
from application.shared.ports import EventBus
from domain.bookings.billing import Payment
from domain.bookings.model import Booking, BookingState
from domain.events.topics import resident_topic
from domain.notifications.model import Notification

# The template of the email each state sends; states missing here send none.
NOTICE_KINDS = {
    BookingState.HELD: "booking_held",
    BookingState.WAITLISTED: "booking_waitlisted",
    BookingState.REJECTED: "booking_rejected",
    BookingState.EXPIRED: "booking_expired",
    BookingState.CANCELLED: "booking_cancelled",
    BookingState.CHECKED_OUT: "booking_checked_out",
    BookingState.CONFIRMED: "booking_confirmed",
}
# A hold that ends a wait reads differently from one that answers a fresh request.
OFFER_KIND = "booking_offered"
# The reminder sent once when little of a hold is left (see WarnExpiringHolds).
HOLD_EXPIRING_KIND = "booking_hold_expiring"

# More work in the transaction that stores a booking step: a payment, an applied event.
InTransaction = Callable[[BookingsUnitOfWork], Awaitable[None]]


def notice_kind(booking: Booking) -> str | None:
    # A waitlisted booking keeps `waitlisted_at` when it is held: that is how it got the bed.
    if booking.state is BookingState.HELD and booking.waitlisted_at is not None:
        return OFFER_KIND
    return NOTICE_KINDS.get(booking.state)


def _when(instant: datetime) -> str:
    return instant.strftime("%d %B %Y at %H:%M UTC")


def _data(booking: Booking, first_name: str, payment: Payment | None) -> dict[str, str]:
    data = {
        "first_name": first_name,
        "starts_on": booking.stay.start.isoformat(),
        "ends_on": booking.stay.end.isoformat(),
        "reason": booking.reason or "none given",
    }
    if booking.checked_out_on is not None:
        data["checked_out_on"] = booking.checked_out_on.isoformat()
    if booking.hold_expires_at is not None:
        data["hold_expires_at"] = _when(booking.hold_expires_at)
    if payment is not None:
        data["amount"] = f"{payment.amount.amount} {payment.amount.currency}"
        data["payment_url"] = payment.payment_url or "the residence office"
    return data


class BookingChanges:
    """A helper of the bookings use cases, not a use case. Booking emails are transactional:
    they go to the resident's address whatever their announcement preferences. A hold opens
    its checkout at the payment gateway, and its email carries the link and the deadline."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        notifier: Notifier,
        events: EventBus,
        checkouts: Checkouts,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._notifier = notifier
        self._events = events
        self._checkouts = checkouts

    async def store(
        self,
        changed: Booking,
        expected: BookingState,
        notice: str | None = None,
        also: InTransaction | None = None,
    ) -> bool:
        """Stores `changed` with its emails in one transaction, if the booking is still in the
        `expected` state; False, and nothing stored, when another run moved it first. `notice`
        names the email to send instead of the new state's own; a step that keeps its state (a
        move) sends none unless named. `also` adds its own writes to that transaction. The
        no-overlap rule's Conflict (`bed_id`, `resident_id`) reaches the caller."""
        checkout = await self._checkout(changed, expected)
        if notice is None and changed.state is expected:
            notices = []
        else:
            notices = await self.notices(changed, checkout, kind=notice)
        async with self._uow() as uow:
            if not await uow.bookings.update_from(changed, expected):
                return False
            if checkout is not None:
                await uow.payments.add(checkout)
            if also is not None:
                await also(uow)
            await uow.outbox.add_all(notices)
            await uow.commit()
        return True

    async def _checkout(self, changed: Booking, expected: BookingState) -> Payment | None:
        # Only a booking that becomes held is paid for; a held one that moves keeps its checkout.
        if changed.state is not BookingState.HELD or expected is BookingState.HELD:
            return None
        return await self._checkouts.open(changed)

    async def notices(
        self, booking: Booking, payment: Payment | None = None, kind: str | None = None
    ) -> list[Notification]:
        """The emails to add to the outbox with the change (`kind` overrides the state's). Reads
        the resident's contact, so call it before opening the unit of work."""
        kind = kind or notice_kind(booking)
        contact = None if kind is None else await self._facts.contact(booking.resident_id)
        if kind is None or contact is None:
            return []
        email = self._notifier.email(
            kind,
            to=contact.email,
            name=contact.full_name,
            data=_data(booking, contact.first_name, payment),
            source=f"booking:{booking.id}",
        )
        return [email]

    async def remind(self, booking: Booking, payment: Payment | None, now: datetime) -> bool:
        """Queues the reminder that the hold runs out soon, unless one was sent before (False)."""
        notices = await self.notices(booking, payment, kind=HOLD_EXPIRING_KIND)
        async with self._uow() as uow:
            if not await uow.payments.remind_once(booking.id, now):
                return False
            await uow.outbox.add_all(notices)
            await uow.commit()
        await self._notifier.deliver_soon()
        return True

    async def committed(self, booking: Booking) -> None:
        """After the commit: the event (best effort) and the relay (kicked, or scheduled)."""
        await self._events.publish(resident_topic(booking.resident_id), booking_event(booking))
        await self._notifier.deliver_soon()
