"""Payments taken at the office, and a booking's payments listed."""

from uuid import UUID

from application.bookings.notices import BookingChanges
from application.bookings.ports import BookingsUnitOfWork, BookingsUnitOfWorkFactory
from application.payments.checkout import Checkouts
from application.payments.commands import RecordPaymentCommand
from application.payments.views import PaymentPage, PaymentView, payment_view
from application.shared.paging import PageRequest
from application.shared.ports import Clock
from domain.accounts.model import Principal
from domain.bookings import rules
from domain.bookings.billing import Payment, PaymentMethod, PaymentState, balance
from domain.bookings.model import Booking, BookingState
from domain.shared.errors import Conflict, InvalidValue, NotFound
from domain.shared.money import Money


async def _visible_booking(uow: BookingsUnitOfWork, caller: Principal, booking_id: UUID) -> Booking:
    booking = await uow.bookings.get(booking_id)
    # Another resident's booking answers like a missing one: a 403 would confirm the id.
    if booking is None or not caller.may_see_resident(booking.resident_id):
        raise NotFound("booking", booking_id)
    return booking


class RecordOfflinePayment:
    """The office records a payment taken by cash, card or bank transfer, which confirms the
    held booking it pays (201 with the payment).

    - only a held booking is paid this way (409 otherwise: a confirmed one is paid already);
    - `amount` must be exactly what is due, in the booking's currency: the price quoted when
      the bed was held (its nightly rate times the nights), less what was paid (422 otherwise);
    - the payment, the confirmation and the resident's email are stored together; a checkout
      still open at the gateway stays open, and money that arrives there later is kept as
      `refund_due`.
    """

    def __init__(
        self,
        uow: BookingsUnitOfWorkFactory,
        changes: BookingChanges,
        checkouts: Checkouts,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._changes = changes
        self._checkouts = checkouts
        self._clock = clock

    async def __call__(
        self, caller: Principal, booking_id: UUID, command: RecordPaymentCommand
    ) -> PaymentView:
        now = self._clock.now()
        async with self._uow() as uow:
            booking = await _visible_booking(uow, caller, booking_id)
            earlier = await uow.payments.of_booking(booking_id)
        confirmed = rules.confirm(booking, now)  # 409 unless held
        due = await self._due(booking, earlier)
        amount = Money.of(command.amount, due.currency)
        if amount != due:
            raise InvalidValue("amount", f"must be the amount due, {due.amount} {due.currency}")
        payment = Payment(
            booking_id=booking_id,
            method=PaymentMethod(command.method.value),
            state=PaymentState.SUCCEEDED,
            amount=amount,
            created_at=now,
            reference=command.reference,
            recorded_by=caller.user_id,
            updated_at=now,
        )

        async def add_payment(uow: BookingsUnitOfWork) -> None:
            await uow.payments.add(payment)

        if not await self._changes.store(confirmed, BookingState.HELD, also=add_payment):
            raise Conflict("the booking changed meanwhile; read it and try again", "state")
        await self._changes.committed(confirmed)
        return payment_view(payment)

    async def _due(self, booking: Booking, earlier: list[Payment]) -> Money:
        standing = balance(earlier)
        if standing is not None and standing.price.amount > 0:
            return standing.due
        return await self._checkouts.price(booking)


class ListPayments:
    """A booking's payments, the oldest first: checkouts at the gateway (pending, succeeded,
    failed, refund_due, refunded) and payments taken at the office. The office reads every
    booking's; a resident only their own (another's answers 404)."""

    def __init__(self, uow: BookingsUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, caller: Principal, booking_id: UUID, page: PageRequest) -> PaymentPage:
        async with self._uow() as uow:
            await _visible_booking(uow, caller, booking_id)
            payments = await uow.payments.of_booking(booking_id)
        items = [payment_view(p) for p in payments[page.offset : page.offset + page.limit]]
        return PaymentPage(items=items, total=len(payments), limit=page.limit, offset=page.offset)
