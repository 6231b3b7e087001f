"""The payments ports behave alike on the fakes, SQLite and PostgreSQL: stored payments and
their conditional updates, gateway events applied once, reminders sent once, the price of a
bed, and the sandbox gateway's checkouts."""

import asyncio
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from application.payments.ports import CheckoutRequest
from application.payments.views import SandboxState
from domain.bookings.billing import Payment, PaymentMethod, PaymentState
from domain.bookings.model import Booking, BookingState
from domain.bookings.payments import PaymentEvent, PaymentKind
from domain.housing.model import Bed
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict
from domain.shared.money import Money
from tests.integration.bookings_backends import SANDBOX_PAGE, BookingsBackend, bookings_backend
from tests.integration.housing_backends import ALL_BACKENDS, a_building, a_resident, a_room, saved

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
STAY = DateRange(date(2026, 9, 21), date(2026, 12, 19))
PRICE = Money.of("3782.50", "EUR")


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> BookingsBackend:
    return bookings_backend(request)


async def held_bookings(backend: BookingsBackend, *deadlines: timedelta) -> list[Booking]:
    """One held booking per deadline (from NOW), each on its own bed of one hall."""
    hall = a_building()
    room = a_room(hall, "101")
    beds = [Bed(room_id=room.id, label=chr(ord("A") + i)) for i in range(len(deadlines))]
    people = [a_resident(f"{i:08d}") for i in range(len(deadlines))]
    await saved(backend.housing, hall, room, *beds, *people)
    bookings = [
        Booking(
            resident_id=person.id,
            stay=STAY,
            requested_at=NOW,
            state=BookingState.HELD,
            bed_id=bed.id,
            hold_expires_at=NOW + deadline,
            updated_at=NOW,
        )
        for person, bed, deadline in zip(people, beds, deadlines, strict=True)
    ]
    async with backend.uow() as uow:
        for booking in bookings:
            await uow.bookings.add(booking)
        await uow.commit()
    return bookings


def a_checkout_payment(booking: Booking, checkout_id: str, minutes: int = 0) -> Payment:
    return Payment(
        booking_id=booking.id,
        method=PaymentMethod.GATEWAY,
        state=PaymentState.PENDING,
        amount=PRICE,
        created_at=NOW + timedelta(minutes=minutes),
        checkout_id=checkout_id,
        payment_url=f"https://pay.example/{checkout_id}",
        pay_by=booking.hold_expires_at,
    )


def an_event(booking: Booking, event_id: str = "evt_1") -> PaymentEvent:
    return PaymentEvent(
        event_id=event_id,
        booking_id=booking.id,
        amount_cents=PRICE.cents,
        currency="EUR",
        kind=PaymentKind.SUCCEEDED,
        occurred_at=NOW,
        checkout_id="cs_1",
    )


async def test_payments_are_stored_read_back_and_updated_only_from_the_state_read(
    backend: BookingsBackend,
) -> None:
    (booking,) = await held_bookings(backend, timedelta(minutes=30))
    checkout = a_checkout_payment(booking, "cs_1")
    cash = Payment(
        booking_id=booking.id,
        method=PaymentMethod.CASH,
        state=PaymentState.SUCCEEDED,
        amount=PRICE,
        created_at=NOW + timedelta(minutes=5),
        reference="R-1",
        recorded_by=uuid4(),
        updated_at=NOW + timedelta(minutes=5),
    )
    async with backend.uow() as uow:
        await uow.payments.add(cash)
        await uow.payments.add(checkout)
        await uow.commit()

    succeeded = replace(checkout, state=PaymentState.SUCCEEDED, updated_at=NOW)
    async with backend.uow() as uow:
        assert await uow.payments.update_from(succeeded, PaymentState.PENDING)
        assert not await uow.payments.update_from(checkout, PaymentState.PENDING)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.payments.of_booking(booking.id) == [succeeded, cash]
        assert await uow.payments.by_checkout("cs_1") == succeeded
        assert await uow.payments.by_checkout("cs_2") is None
        assert await uow.payments.of_booking(uuid4()) == []


async def test_a_checkout_pays_one_payment(backend: BookingsBackend) -> None:
    (booking,) = await held_bookings(backend, timedelta(minutes=30))
    async with backend.uow() as uow:
        await uow.payments.add(a_checkout_payment(booking, "cs_1"))
        await uow.commit()

    async def add_another_for_the_same_checkout() -> None:
        async with backend.uow() as uow:
            await uow.payments.add(a_checkout_payment(booking, "cs_1", minutes=1))
            await uow.commit()

    with pytest.raises(Conflict):
        await add_another_for_the_same_checkout()


async def test_an_event_is_recorded_once_and_a_rolled_back_one_not_at_all(
    backend: BookingsBackend,
) -> None:
    (booking,) = await held_bookings(backend, timedelta(minutes=30))
    async with backend.uow() as uow:
        assert await uow.payments.record_event(an_event(booking, "evt_gone"), NOW)
        # no commit: rolled back
    async with backend.uow() as uow:
        first = await uow.payments.record_event(an_event(booking), NOW)
        again = await uow.payments.record_event(an_event(booking), NOW)
        await uow.commit()

    async with backend.uow() as uow:
        assert (first, again) == (True, False)
        assert await uow.payments.event_applied("evt_1")
        assert not await uow.payments.event_applied("evt_gone")


async def test_of_simultaneous_deliveries_of_an_event_one_records_it(
    backend: BookingsBackend,
) -> None:
    (booking,) = await held_bookings(backend, timedelta(minutes=30))

    async def deliver() -> bool:
        async with backend.uow() as uow:
            recorded = await uow.payments.record_event(an_event(booking, "evt_race"), NOW)
            await uow.commit()
        return recorded

    outcomes = await asyncio.gather(*(deliver() for _ in range(5)))

    assert sorted(outcomes) == [False, False, False, False, True]


async def test_holds_near_their_deadline_are_reminded_once(backend: BookingsBackend) -> None:
    soon, later, past, other = await held_bookings(
        backend,
        timedelta(minutes=5),
        timedelta(minutes=25),
        timedelta(minutes=-1),
        timedelta(minutes=8),
    )
    async with backend.uow() as uow:
        confirmed = replace(other, state=BookingState.CONFIRMED, hold_expires_at=None)
        await uow.bookings.update(confirmed)
        await uow.commit()
    until = NOW + timedelta(minutes=10)

    async with backend.uow() as uow:
        due = await uow.payments.holds_to_remind(NOW, until, 10)
        first = await uow.payments.remind_once(soon.id, NOW)
        again = await uow.payments.remind_once(soon.id, NOW)
        await uow.commit()
    async with backend.uow() as uow:
        after = await uow.payments.holds_to_remind(NOW, until, 10)

    assert due == [soon.id]
    assert (first, again) == (True, False)
    assert after == []
    assert {later.id, past.id}.isdisjoint(due)


async def test_a_beds_nightly_rate_is_its_rooms(backend: BookingsBackend) -> None:
    (booking,) = await held_bookings(backend, timedelta(minutes=30))
    assert booking.bed_id is not None

    assert await backend.payment_queries.nightly_rate(booking.bed_id) == Money.of("42.50", "EUR")
    assert await backend.payment_queries.nightly_rate(uuid4()) is None


async def test_the_sandbox_opens_a_checkout_and_closes_it_once(backend: BookingsBackend) -> None:
    booking_id = uuid4()
    request = CheckoutRequest(booking_id=booking_id, amount=PRICE, pay_by=NOW + timedelta(hours=1))

    checkout = await backend.sandbox.create_checkout(request)
    other = await backend.sandbox.create_checkout(request)
    opened = await backend.sandbox.get(checkout.checkout_id)
    paid = await backend.sandbox.complete(checkout.checkout_id, True, "evt_paid", NOW)
    declined = await backend.sandbox.complete(checkout.checkout_id, False, "evt_no", NOW)

    assert checkout.checkout_id != other.checkout_id
    assert len(checkout.checkout_id) >= 32
    assert checkout.payment_url == f"{SANDBOX_PAGE}/{checkout.checkout_id}"
    assert opened is not None
    assert (opened.booking_id, opened.amount_cents, opened.currency) == (booking_id, 378250, "EUR")
    assert (opened.state, opened.expires_at, opened.event_id) == (
        SandboxState.OPEN,
        NOW + timedelta(hours=1),
        None,
    )
    assert paid is not None
    assert (paid.state, paid.event_id, paid.completed_at) == (SandboxState.PAID, "evt_paid", NOW)
    assert declined == paid
    assert await backend.sandbox.get("cs_unknown") is None
    assert await backend.sandbox.complete("cs_unknown", True, "evt_x", NOW) is None
