"""What follows a change of a booking: the resident's email, queued in the change's own
transaction, and after the commit the event on the resident's topic and a kick of the relay."""

from application.bookings.ports import AllocationQueries, BookingsUnitOfWorkFactory
from application.bookings.views import booking_event
from application.notifications.notifier import Notifier
from application.shared.ports import EventBus
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
}


def _data(booking: Booking, first_name: str) -> dict[str, str]:
    data = {
        "first_name": first_name,
        "starts_on": booking.stay.start.isoformat(),
        "ends_on": booking.stay.end.isoformat(),
        "reason": booking.reason or "none given",
    }
    if booking.checked_out_on is not None:
        data["checked_out_on"] = booking.checked_out_on.isoformat()
    if booking.hold_expires_at is not None:
        data["hold_expires_at"] = booking.hold_expires_at.strftime("%d %B %Y at %H:%M UTC")
    return data


class BookingChanges:
    """A helper of the bookings use cases, not a use case. Booking emails are transactional:
    they go to the resident's address whatever their announcement preferences."""

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        facts: AllocationQueries,
        notifier: Notifier,
        events: EventBus,
    ) -> None:
        self._uow = uow
        self._facts = facts
        self._notifier = notifier
        self._events = events

    async def store(
        self, changed: Booking, expected: BookingState, notice: str | None = None
    ) -> bool:
        """Stores `changed` with its emails in one transaction, if the booking is still in the
        `expected` state; False, and nothing stored, when another run moved it first. The
        no-overlap rule's Conflict (`bed_id`, `resident_id`) reaches the caller. `notice` names
        the email to send instead of the new state's own (a move keeps its state)."""
        notices = await self.notices(changed, notice)
        async with self._uow() as uow:
            if not await uow.bookings.update_from(changed, expected):
                return False
            await uow.outbox.add_all(notices)
            await uow.commit()
        return True

    async def notices(self, booking: Booking, kind: str | None = None) -> list[Notification]:
        """The emails to add to the outbox with the change. Reads the resident's contact, so
        call it before opening the unit of work."""
        kind = kind or NOTICE_KINDS.get(booking.state)
        contact = None if kind is None else await self._facts.contact(booking.resident_id)
        if kind is None or contact is None:
            return []
        email = self._notifier.email(
            kind,
            to=contact.email,
            name=contact.full_name,
            data=_data(booking, contact.first_name),
            source=f"booking:{booking.id}",
        )
        return [email]

    async def committed(self, booking: Booking) -> None:
        """After the commit: the event (best effort) and the relay (kicked, or scheduled)."""
        await self._events.publish(resident_topic(booking.resident_id), booking_event(booking))
        await self._notifier.deliver_soon()
