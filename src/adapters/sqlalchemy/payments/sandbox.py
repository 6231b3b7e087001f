"""The sandbox payment gateway of the embedded mode: checkouts kept in the database, paid on a
page the app itself serves (GET /payments/sandbox/{checkout_id}). It stands for a gateway's
own system, so it writes in transactions of its own, never in the app's."""

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.payments.tables import sandbox_checkouts as checkouts
from application.payments.ports import Checkout, CheckoutRequest
from application.payments.views import SandboxCheckoutView, SandboxState
from application.shared.ports import Clock

SANDBOX_PAGE_PATH = "/payments/sandbox"
# 24 random bytes: a checkout id cannot be guessed, which is what lets its page go without a token.
_ID_BYTES = 24


def checkout_view(row: Row[Any]) -> SandboxCheckoutView:
    return SandboxCheckoutView(
        id=row.id,
        booking_id=row.booking_id,
        amount_cents=row.amount_cents,
        currency=row.currency,
        expires_at=row.expires_at,
        state=SandboxState(row.state),
        event_id=row.event_id,
        completed_at=row.completed_at,
    )


class SqlAlchemySandboxGateway:
    """Both ports of the sandbox: PaymentGateway for the app, SandboxCheckouts for its page."""

    def __init__(self, engine: AsyncEngine, public_url: str, clock: Clock) -> None:
        self._engine = engine
        self._page_url = public_url.rstrip("/") + SANDBOX_PAGE_PATH
        self._clock = clock

    async def create_checkout(self, request: CheckoutRequest) -> Checkout:
        checkout_id = f"cs_{secrets.token_urlsafe(_ID_BYTES)}"
        async with self._engine.begin() as connection:
            await connection.execute(
                insert(checkouts).values(
                    id=checkout_id,
                    booking_id=request.booking_id,
                    amount_cents=request.amount.cents,
                    currency=request.amount.currency,
                    expires_at=request.pay_by,
                    state=SandboxState.OPEN.value,
                    created_at=self._clock.now(),
                )
            )
        return Checkout(checkout_id=checkout_id, payment_url=f"{self._page_url}/{checkout_id}")

    async def get(self, checkout_id: str) -> SandboxCheckoutView | None:
        async with self._engine.connect() as connection:
            query = select(checkouts).where(checkouts.c.id == checkout_id)
            row = (await connection.execute(query)).first()
        return None if row is None else checkout_view(row)

    async def complete(
        self, checkout_id: str, paid: bool, event_id: str, now: datetime
    ) -> SandboxCheckoutView | None:
        state = SandboxState.PAID if paid else SandboxState.DECLINED
        async with self._engine.begin() as connection:
            # Only an open checkout closes: of two clicks at once, the first one's event stands.
            await connection.execute(
                update(checkouts)
                .where(checkouts.c.id == checkout_id, checkouts.c.state == SandboxState.OPEN.value)
                .values(state=state.value, event_id=event_id, completed_at=now)
            )
        return await self.get(checkout_id)
