"""Delivery ports of the notifications context. Adapters never raise for a message that could
not be delivered: they report it in a DeliveryOutcome, so one bad address cannot fail a batch."""

from collections.abc import Sequence
from typing import Protocol

import msgspec


class OutgoingEmail(msgspec.Struct, frozen=True, kw_only=True):
    # Stable per notification: a retried send carries the same Message-ID, so mail systems
    # and people can recognise a duplicate.
    message_id: str
    to: str
    to_name: str | None = None
    subject: str
    text: str
    html: str | None = None


class OutgoingSms(msgspec.Struct, frozen=True, kw_only=True):
    message_id: str
    to: str  # E.164
    text: str


class DeliveryOutcome(msgspec.Struct, frozen=True, kw_only=True):
    message_id: str
    error: str | None = None  # None: the server or gateway accepted the message

    @property
    def delivered(self) -> bool:
        return self.error is None


class Mailer(Protocol):
    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        """Sends a batch over one connection; one outcome per message, in order."""
        ...


class SmsSender(Protocol):
    async def send(self, message: OutgoingSms) -> DeliveryOutcome: ...
