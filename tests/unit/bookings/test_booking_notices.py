"""Each decision about a booking emails its resident once, in the transaction of the change,
and kicks the relay after it."""

from datetime import timedelta

from application.bookings.commands import CancelBookingCommand
from application.notifications.templates import render
from domain.housing.model import ResidentStatus
from tests.unit.bookings.kit import HOLD, STAFF, Campus


async def test_a_hold_is_emailed_with_its_deadline_once(campus: Campus) -> None:
    campus.room(campus.building())
    resident = campus.resident()

    booking = await campus.booked(resident)
    await campus.allocate(booking.id)  # a redelivered task: no second email

    assert campus.emails() == [("booking_held", resident.email)]
    (notice,) = campus.notifications.rows.values()
    message = render(notice.kind, notice.data)
    assert message.subject == "A bed is held for you until 01 September 2026 at 09:30 UTC"
    assert "from 2026-09-21 to 2026-12-19" in message.text
    # The link to pay, the price (89 nights at 40 EUR) and the deadline.
    (checkout,) = campus.gateway.checkouts.values()
    assert f"https://residence.example/payments/sandbox/{checkout.id}" in message.text
    assert "Pay 3560.00 EUR before 01 September 2026 at 09:30 UTC" in message.text
    assert f'href="https://residence.example/payments/sandbox/{checkout.id}"' in message.html
    assert notice.source == f"booking:{booking.id}"
    assert "notifications.relay" in campus.tasks.names


async def test_waitlisting_rejection_expiry_and_cancellation_are_emailed(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    held, waiting, former = (campus.resident(f"00{i}") for i in range(3))
    await campus.booked(held)
    second = await campus.booked(waiting)
    booking_id = await campus.requested(former)
    campus.housing.tables.residents[former.id].status = ResidentStatus.FORMER
    await campus.allocate(booking_id)
    campus.clock.advance(HOLD)
    await campus.expire_holds()  # the bed goes to the waitlisted booking
    campus.clock.advance(timedelta(minutes=1))
    await campus.cancel(STAFF, second.id, CancelBookingCommand(reason="moved away"))

    assert campus.emails() == [
        ("booking_held", held.email),
        ("booking_waitlisted", waiting.email),
        ("booking_rejected", former.email),
        ("booking_expired", held.email),
        ("booking_offered", waiting.email),  # a hold that ends a wait says so
        ("booking_cancelled", waiting.email),
    ]
    cancelled = list(campus.notifications.rows.values())[-1]
    assert "Reason: moved away." in render(cancelled.kind, cancelled.data).text
