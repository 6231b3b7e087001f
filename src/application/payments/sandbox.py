"""The sandbox payment gateway's checkout page: the embedded stand-in for a real gateway.

The page is the gateway's, not the app's: it needs no token, since the unguessable checkout id
in its address is what a gateway's page relies on too. When the payer pays or declines, the
sandbox does what a real gateway does: it signs an event with the webhook secret and delivers
it to the webhook, through the same use case an external POST reaches."""

import secrets
from datetime import datetime

import msgspec

from application.payments.commands import WebhookData, WebhookEvent
from application.payments.ports import SandboxCheckouts
from application.payments.views import SandboxCheckoutView, SandboxState, WebhookReceipt
from application.payments.webhook import HandlePaymentWebhook, WebhookVerification
from application.shared.ports import Clock
from domain.bookings.payments import PaymentKind, signature_header
from domain.shared.errors import Conflict, NotFound


def sandbox_event(checkout: SandboxCheckoutView) -> bytes:
    """The webhook body that tells how a closed checkout ended."""
    assert checkout.event_id is not None
    assert checkout.completed_at is not None
    paid = checkout.state is SandboxState.PAID
    event = WebhookEvent(
        id=checkout.event_id,
        type=(PaymentKind.SUCCEEDED if paid else PaymentKind.FAILED).value,
        created=int(checkout.completed_at.timestamp()),
        data=WebhookData(
            booking_id=checkout.booking_id,
            checkout_id=checkout.id,
            amount_cents=checkout.amount_cents,
            currency=checkout.currency,
        ),
    )
    return msgspec.json.encode(event)


class GetSandboxCheckout:
    """A checkout of the sandbox gateway, for its page (404 for an unknown id)."""

    def __init__(self, checkouts: SandboxCheckouts) -> None:
        self._checkouts = checkouts

    async def __call__(self, checkout_id: str) -> SandboxCheckoutView:
        checkout = await self._checkouts.get(checkout_id)
        if checkout is None:
            raise NotFound("checkout", checkout_id)
        return checkout


class CompleteSandboxCheckout:
    """The payer pays (`pay`) or declines (`decline`) a sandbox checkout.

    - an open checkout closes as paid or declined until its deadline (409 after it);
    - the event that tells of it is signed and delivered to the webhook, which confirms a paid
      hold; doing the same again delivers the same event again, which changes nothing;
    - a checkout closed the other way answers 409.
    """

    def __init__(
        self,
        checkouts: SandboxCheckouts,
        webhook: HandlePaymentWebhook,
        clock: Clock,
        verification: WebhookVerification,
    ) -> None:
        self._checkouts = checkouts
        self._webhook = webhook
        self._clock = clock
        self._verification = verification

    async def __call__(self, checkout_id: str, pay: bool) -> WebhookReceipt:
        now = self._clock.now()
        checkout = await self._checkouts.get(checkout_id)
        if checkout is None:
            raise NotFound("checkout", checkout_id)
        if checkout.state is SandboxState.OPEN:
            checkout = await self._close(checkout, pay, now)
        if (checkout.state is SandboxState.PAID) != pay:
            raise Conflict(f"the checkout was {checkout.state.value} already", "action")
        return await self._deliver(checkout, now)

    async def _close(
        self, checkout: SandboxCheckoutView, pay: bool, now: datetime
    ) -> SandboxCheckoutView:
        if now >= checkout.expires_at:
            raise Conflict(f"the checkout closed at {checkout.expires_at.isoformat()}", "action")
        event_id = f"evt_{secrets.token_hex(12)}"
        closed = await self._checkouts.complete(checkout.id, pay, event_id, now)
        if closed is None:
            raise NotFound("checkout", checkout.id)
        return closed

    async def _deliver(self, checkout: SandboxCheckoutView, now: datetime) -> WebhookReceipt:
        body = sandbox_event(checkout)
        header = signature_header(self._verification.secret, int(now.timestamp()), body)
        return await self._webhook(body, header)
