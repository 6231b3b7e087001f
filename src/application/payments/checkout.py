"""Opening the checkout a held booking is paid through, for the price of its stay."""

from application.payments.ports import CheckoutRequest, PaymentGateway, PaymentQueries
from domain.bookings.billing import Payment, PaymentMethod, PaymentState, price_of_stay
from domain.bookings.model import Booking
from domain.shared.errors import NotFound
from domain.shared.money import Money


class Checkouts:
    """A helper of the bookings use cases, not a use case. The price of a stay is the nightly
    rate of the bed's room times its nights, read when the bed is held: that quote is what the
    checkout asks for, whatever the rate becomes later."""

    def __init__(self, gateway: PaymentGateway, queries: PaymentQueries) -> None:
        self._gateway = gateway
        self._queries = queries

    async def price(self, booking: Booking) -> Money:
        rate = None if booking.bed_id is None else await self._queries.nightly_rate(booking.bed_id)
        if rate is None:
            raise NotFound("bed", booking.bed_id)
        return price_of_stay(rate, booking.stay)

    async def open(self, held: Booking) -> Payment:
        """A checkout at the gateway, open until the hold's deadline, and the pending payment
        that records it (for the caller to store with the hold). Called before the hold is
        stored: a hold that then loses its race leaves an unused checkout at the gateway,
        which no one was sent and which closes at its deadline."""
        assert held.hold_expires_at is not None
        assert held.updated_at is not None
        price = await self.price(held)
        checkout = await self._gateway.create_checkout(
            CheckoutRequest(booking_id=held.id, amount=price, pay_by=held.hold_expires_at)
        )
        return Payment(
            booking_id=held.id,
            method=PaymentMethod.GATEWAY,
            state=PaymentState.PENDING,
            amount=price,
            created_at=held.updated_at,
            checkout_id=checkout.checkout_id,
            payment_url=checkout.payment_url,
            pay_by=held.hold_expires_at,
        )
