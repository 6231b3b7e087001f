"""What callers send to the payments use cases, and what a gateway's webhook carries."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import Command

MAX_REFERENCE_LENGTH = 200


class OfflineMethod(StrEnum):
    CASH = "cash"
    CARD = "card"
    BANK_TRANSFER = "bank_transfer"


class RecordPaymentCommand(Command):
    amount: Annotated[
        Decimal, msgspec.Meta(description="Exactly the amount due", examples=["3560.00"])
    ]
    method: OfflineMethod
    reference: (
        Annotated[
            str,
            msgspec.Meta(
                min_length=1,
                max_length=MAX_REFERENCE_LENGTH,
                description="A receipt or transfer number",
                examples=["R-2026-0042"],
            ),
        ]
        | None
    ) = None


class SandboxDecision(Command):
    """The form of the sandbox checkout page."""

    action: Annotated[str, msgspec.Meta(pattern="^(pay|decline)$")]


# The webhook body. Not a Command: a gateway adds fields over time, and an unknown field in a
# signed event is no reason to refuse it (the signature already proves where it came from).
class WebhookData(msgspec.Struct, frozen=True, kw_only=True):
    booking_id: UUID
    checkout_id: str | None = None
    amount_cents: Annotated[int, msgspec.Meta(ge=0)]
    currency: Annotated[str, msgspec.Meta(min_length=3, max_length=3)]


class WebhookEvent(msgspec.Struct, frozen=True, kw_only=True):
    id: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    type: Annotated[str, msgspec.Meta(max_length=100)]
    created: Annotated[int, msgspec.Meta(ge=0, description="Unix seconds")]
    data: WebhookData
