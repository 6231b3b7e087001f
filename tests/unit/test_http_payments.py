"""Payments over HTTP: the sandbox checkout page from a request to a confirmed booking, the
signed webhook, and payments taken at the office."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import msgspec

from domain.bookings.payments import signature_header
from entrypoints.container import Container
from entrypoints.secret_key import payment_webhook_secret
from entrypoints.settings import Settings
from tests.fakes import FixedClock
from tests.unit.accounts_api import Caller, Json
from tests.unit.housing_api import error_fields, problem_of
from tests.unit.test_http_bookings import a_booking, a_double_room

# 89 nights at the room's 42.50 EUR.
PRICE = "3782.50"


async def a_held_booking(resident: Caller, staff: Caller, container: Container) -> Json:
    await a_double_room(staff)
    requested = await a_booking(resident, container)
    booking: Json = (await resident.get(f"/api/bookings/{requested['id']}")).json()
    assert booking["state"] == "held"
    return booking


def an_event(booking: Json, event_id: str, kind: str, checkout_id: str) -> bytes:
    # Spaced and ordered unlike msgspec's output: the signature covers the bytes as sent.
    return (
        f'{{ "type": "{kind}",  "id": "{event_id}", "created": 1788253200,\n'
        f'  "data": {{"currency": "EUR", "amount_cents": 378250, '
        f'"checkout_id": "{checkout_id}", "booking_id": "{booking["id"]}"}} }}'
    ).encode()


def signed(settings: Settings, clock: FixedClock, body: bytes) -> dict[str, str]:
    header = signature_header(payment_webhook_secret(settings), int(clock.now().timestamp()), body)
    return {"Payment-Signature": header, "Content-Type": "application/json"}


def outbox_subjects(settings: Settings) -> list[str]:
    subjects = []
    for path in sorted(Path(settings.outbox_dir).glob("**/*.eml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("Subject: "):
                subjects.append(line.removeprefix("Subject: "))
    return subjects


async def test_request_hold_sandbox_page_pay_confirmed_and_emailed(
    resident: Caller, staff: Caller, anonymous: Caller, container: Container, settings: Settings
) -> None:
    booking = await a_held_booking(resident, staff, container)
    payment = booking["payment"]
    assert (payment["status"], payment["amount_due"], payment["currency"]) == (
        "unpaid",
        PRICE,
        "EUR",
    )
    assert payment["pay_by"] == booking["hold_expires_at"]
    page_path = urlsplit(payment["payment_url"]).path

    page = await anonymous.get(page_path)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "form-action 'self'" in page.headers["content-security-policy"]
    assert f"{PRICE} EUR" in page.text
    assert 'value="pay"' in page.text
    assert 'value="decline"' in page.text

    paid = await anonymous.post(page_path, data={"action": "pay"}, follow_redirects=False)
    assert paid.status_code == 303, paid.text
    assert paid.headers["location"] == page_path
    assert "Paid." in (await anonymous.get(page_path)).text

    confirmed = (await resident.get(f"/api/bookings/{booking['id']}")).json()
    assert confirmed["state"] == "confirmed"
    assert confirmed["payment"]["status"] == "paid"
    assert (confirmed["payment"]["amount_due"], confirmed["payment"]["payment_url"]) == (
        "0.00",
        None,
    )
    await container.notifications.relay_notifications()()
    assert "Your booking is confirmed" in outbox_subjects(settings)


async def test_the_sandbox_form_takes_pay_or_decline_only(
    resident: Caller, staff: Caller, anonymous: Caller, container: Container
) -> None:
    booking = await a_held_booking(resident, staff, container)
    page_path = urlsplit(booking["payment"]["payment_url"]).path

    assert error_fields(await anonymous.post(page_path, data={"action": "steal"}), 422) == [
        "action"
    ]
    assert error_fields(
        await anonymous.post(page_path, data={"action": "pay", "amount": "1"}), 422
    ) == ["amount"]
    problem_of(await anonymous.get("/payments/sandbox/cs_not_a_checkout"), 404)


async def test_the_webhook_checks_the_signature_over_the_raw_body_and_applies_once(
    resident: Caller,
    staff: Caller,
    anonymous: Caller,
    container: Container,
    settings: Settings,
    clock: FixedClock,
) -> None:
    booking = await a_held_booking(resident, staff, container)
    checkout_id = urlsplit(booking["payment"]["payment_url"]).path.rsplit("/", 1)[-1]
    body = an_event(booking, "evt_http_1", "payment.succeeded", checkout_id)
    headers = signed(settings, clock, body)

    unsigned = await anonymous.post("/api/payments/webhook", content=body)
    reencoded = msgspec.json.encode(msgspec.json.decode(body))
    tampered = await anonymous.post("/api/payments/webhook", content=reencoded, headers=headers)
    problem_of(unsigned, 401)
    problem_of(tampered, 401)
    assert (await resident.get(f"/api/bookings/{booking['id']}")).json()["state"] == "held"

    applied = await anonymous.post("/api/payments/webhook", content=body, headers=headers)
    replayed = await anonymous.post("/api/payments/webhook", content=body, headers=headers)

    assert (applied.status_code, applied.json()) == (
        200,
        {"event_id": "evt_http_1", "outcome": "applied"},
    )
    assert (replayed.status_code, replayed.json()["outcome"]) == (200, "duplicate")
    assert (await resident.get(f"/api/bookings/{booking['id']}")).json()["state"] == "confirmed"


async def test_the_office_records_a_payment_and_residents_only_read_their_own(
    resident: Caller, staff: Caller, container: Container, clock: FixedClock
) -> None:
    booking = await a_held_booking(resident, staff, container)
    clock.advance(timedelta(minutes=5))  # the resident comes to the office
    path = f"/api/bookings/{booking['id']}/payments"
    cash = {"amount": PRICE, "method": "cash", "reference": "R-1"}

    problem_of(await resident.post(path, json=cash), 403)
    assert error_fields(await staff.post(path, json={**cash, "amount": "1.00"}), 422) == ["amount"]
    assert error_fields(await staff.post(path, json={**cash, "method": "iou"}), 422) == ["method"]
    assert error_fields(await staff.post(path, json={**cash, "tip": "5"}), 422) == ["tip"]
    recorded = await staff.post(path, json=cash)

    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["state"] == "succeeded"
    assert (await staff.get(f"/api/bookings/{booking['id']}")).json()["state"] == "confirmed"
    problem_of(await staff.post(path, json=cash), 409)
    listed = (await resident.get(path)).json()
    assert [(item["method"], item["state"]) for item in listed["items"]] == [
        ("gateway", "pending"),
        ("cash", "succeeded"),
    ]
    assert listed["total"] == 2
    problem_of(await resident.get(f"/api/bookings/{UUID(int=7)}/payments"), 404)


async def test_a_stranger_cannot_read_another_residents_payments(
    resident: Caller, staff: Caller, container: Container
) -> None:
    stranger_response = await staff.post(
        "/api/residents",
        json={"student_id": "777", "first_name": "Bo", "last_name": "Li", "email": "bo@e.edu"},
    )
    stranger = stranger_response.json()["id"]
    await a_double_room(staff)
    theirs = await a_booking(staff, container, resident_id=stranger)

    problem_of(await resident.get(f"/api/bookings/{theirs['id']}/payments"), 404)
