"""POST /api/bookings with an Idempotency-Key: retries replay the first answer, change nothing."""

from datetime import timedelta

from application.bookings.commands import RequestBookingCommand
from application.shared.idempotency import fingerprint
from entrypoints.container import Container
from tests.fakes import FixedClock, InMemoryBookingStore
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import error_fields, problem_of

STAY: Json = {"starts_on": "2026-09-21", "ends_on": "2026-12-19"}


async def test_a_retry_with_the_same_key_and_body_gets_the_first_answer(
    resident: Caller, booking_store: InMemoryBookingStore
) -> None:
    first = await resident.post("/api/bookings", json=STAY, headers={"Idempotency-Key": "k-1"})
    # The same request, spelled differently: field order does not make it another body.
    again = await resident.post(
        "/api/bookings",
        json={"ends_on": STAY["ends_on"], "starts_on": STAY["starts_on"]},
        headers={"Idempotency-Key": "k-1"},
    )

    assert first.status_code == again.status_code == 202, first.text
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert len(booking_store.rows) == 1


async def test_the_same_key_with_another_body_is_refused(
    resident: Caller, booking_store: InMemoryBookingStore
) -> None:
    await resident.post("/api/bookings", json=STAY, headers={"Idempotency-Key": "k-2"})

    other = {**STAY, "ends_on": "2026-12-20"}
    refused = await resident.post("/api/bookings", json=other, headers={"Idempotency-Key": "k-2"})

    assert error_fields(refused, 422) == ["Idempotency-Key"]
    assert len(booking_store.rows) == 1


async def test_a_key_still_in_flight_answers_409(
    resident: Caller, container: Container, clock: FixedClock
) -> None:
    scope = f"{resident.user_id}:bookings.request"
    command = RequestBookingCommand(**STAY)  # type: ignore[arg-type]
    store = container.idempotency_store()
    now = clock.now()
    await store.claim(scope, "k-3", fingerprint(command), now, now - timedelta(minutes=5))

    response = await resident.post("/api/bookings", json=STAY, headers={"Idempotency-Key": "k-3"})

    problem_of(response, 409)
    clock.advance(timedelta(minutes=6))  # the first request's process died: its claim is stale
    retried = await resident.post("/api/bookings", json=STAY, headers={"Idempotency-Key": "k-3"})
    assert retried.status_code == 202, retried.text


async def test_a_failed_request_gives_its_key_back_and_keys_are_per_caller(
    resident: Caller, staff: Caller, resident_record: Json, booking_store: InMemoryBookingStore
) -> None:
    bad = await resident.post(
        "/api/bookings", json={"starts_on": "2026-09-21"}, headers={"Idempotency-Key": "k-4"}
    )
    fixed = await resident.post("/api/bookings", json=STAY, headers={"Idempotency-Key": "k-4"})
    office = await staff.post(
        "/api/bookings",
        json={**STAY, "resident_id": resident_record["id"]},
        headers={"Idempotency-Key": "k-4"},
    )

    assert error_fields(bad, 422) == ["ends_on"]
    assert (fixed.status_code, office.status_code) == (202, 202)
    assert len(booking_store.rows) == 2
