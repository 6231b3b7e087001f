"""The sandbox payment gateway's checkout page, served by the app in the embedded mode.

It belongs to the gateway, not to the API: plain HTML, no token (the unguessable checkout id in
its address is the credential, as on a real gateway's page), left out of the API schema."""

import html
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import MediaType, RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from adapters.sqlalchemy.payments.sandbox import SANDBOX_PAGE_PATH
from application.payments.commands import SandboxDecision
from application.payments.sandbox import CompleteSandboxCheckout, GetSandboxCheckout
from application.payments.views import SandboxCheckoutView, SandboxState
from entrypoints.http.access import PUBLIC
from entrypoints.http.audit import SKIP_AUDIT_KEY
from entrypoints.http.docs_pages import DOCS_POLICY_KEY

# The page loads nothing and posts only to itself.
PAGE_POLICY = "default-src 'none'; form-action 'self'; frame-ancestors 'none'"


def _amount(checkout: SandboxCheckoutView) -> str:
    return f"{checkout.amount_cents // 100}.{checkout.amount_cents % 100:02d} {checkout.currency}"


def render_checkout(checkout: SandboxCheckoutView) -> str:
    form = (
        f'<form method="post" action="{SANDBOX_PAGE_PATH}/{html.escape(checkout.id)}">\n'
        '<button type="submit" name="action" value="pay">Pay</button>\n'
        '<button type="submit" name="action" value="decline">Decline</button>\n</form>'
    )
    outcome = {
        SandboxState.OPEN: form,
        SandboxState.PAID: "<p><strong>Paid.</strong> The residence has been told.</p>",
        SandboxState.DECLINED: "<p><strong>Declined.</strong> Nothing was charged.</p>",
    }[checkout.state]
    return (
        "<!DOCTYPE html>\n<html><head><title>Sandbox checkout</title></head><body>\n"
        "<h1>Sandbox checkout</h1>\n"
        "<p>A test payment page: no money moves.</p>\n"
        f"<p>Amount: <strong>{html.escape(_amount(checkout))}</strong></p>\n"
        f"<p>Booking: {checkout.booking_id}</p>\n"
        f"<p>Pay by: {checkout.expires_at.strftime('%d %B %Y at %H:%M UTC')}</p>\n"
        f"{outcome}\n</body></html>\n"
    )


class SandboxCheckoutController(Controller):
    path = SANDBOX_PAGE_PATH
    include_in_schema = False
    opt = {**PUBLIC, SKIP_AUDIT_KEY: True}

    @get("/{checkout_id:str}")
    async def page(
        self,
        request: Request[Any, Any, Any],
        checkout_id: FromPath[str],
        get_sandbox_checkout: NamedDependency[GetSandboxCheckout],
    ) -> Response[str]:
        checkout = await get_sandbox_checkout(checkout_id)
        request.state[DOCS_POLICY_KEY] = PAGE_POLICY
        return Response(render_checkout(checkout), media_type=MediaType.HTML)

    @post("/{checkout_id:str}")
    async def decide(
        self,
        checkout_id: FromPath[str],
        data: Annotated[SandboxDecision, Body(media_type=RequestEncodingType.URL_ENCODED)],
        complete_sandbox_checkout: NamedDependency[CompleteSandboxCheckout],
    ) -> Redirect:
        await complete_sandbox_checkout(checkout_id, pay=data.action == "pay")
        # Post, then redirect: reloading the result page does not post the decision again.
        return Redirect(path=f"{SANDBOX_PAGE_PATH}/{checkout_id}", status_code=303)
