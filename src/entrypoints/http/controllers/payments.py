"""Payments over HTTP: a booking's payments, the office's offline payments, and the gateway's
webhook, which has no token and is authenticated by its signature instead."""

from typing import Annotated, Any
from uuid import UUID

from litestar import Controller, Request, post
from litestar import get as get_route
from litestar.di import NamedDependency
from litestar.params import FromPath, HeaderParameter, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from application.payments.commands import RecordPaymentCommand
from application.payments.offline import ListPayments, RecordOfflinePayment
from application.payments.views import PaymentPage, PaymentView, WebhookReceipt
from application.payments.webhook import SIGNATURE_HEADER, HandlePaymentWebhook
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from entrypoints.http.access import OFFICE, PUBLIC, allowed
from entrypoints.http.audit import SKIP_AUDIT_KEY
from entrypoints.http.docs import PublicOperation, described_by, problems


class BookingPaymentController(Controller):
    path = "/api/bookings/{booking_id:uuid}/payments"
    tags = ["Payments"]
    opt = allowed(*OFFICE, Role.RESIDENT)

    @post(
        "/",
        summary="Record a payment taken at the office",
        description=described_by(RecordOfflinePayment),
        status_code=HTTP_201_CREATED,
        responses=problems(403, 404, 409, 422),
        opt=allowed(*OFFICE),
    )
    async def record(
        self,
        booking_id: FromPath[UUID],
        data: JSONBody[RecordPaymentCommand],
        caller: NamedDependency[Principal],
        record_payment: NamedDependency[RecordOfflinePayment],
    ) -> PaymentView:
        return await record_payment(caller, booking_id, data)

    @get_route(
        "/",
        summary="List a booking's payments",
        description=described_by(ListPayments),
        responses=problems(403, 404, 422),
    )
    async def list(
        self,
        booking_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        list_payments: NamedDependency[ListPayments],
        page: NamedDependency[PageRequest],
    ) -> PaymentPage:
        return await list_payments(caller, booking_id, page)


@post(
    "/api/payments/webhook",
    summary="The payment gateway's webhook",
    description=described_by(HandlePaymentWebhook),
    tags=["Payments"],
    status_code=HTTP_200_OK,
    responses=problems(401, 409, 422, public=True),
    # No token: the signature over the raw body authenticates the gateway. Not audited either:
    # the audit trail records what people changed, and the payment keeps its own record.
    opt={**PUBLIC, SKIP_AUDIT_KEY: True},
    operation_class=PublicOperation,
)
async def payment_webhook(
    request: Request[Any, Any, Any],
    handle_payment_webhook: NamedDependency[HandlePaymentWebhook],
    signature: Annotated[
        str | None,
        HeaderParameter(name=SIGNATURE_HEADER, description="t=<unix seconds>,v1=<hex HMAC>"),
    ] = None,
) -> WebhookReceipt:
    # The signature covers the bytes as sent: read them before anything decodes them.
    body = await request.body()
    return await handle_payment_webhook(body, signature)
