"""Notifications: one message to one recipient over one channel, and its delivery record.

A notification is written in the same transaction as the change that causes it (the outbox) and
delivered afterwards by a relay; its state says how far delivery got:

    queued --claim--> sending --sent--> sent
      ^                 |  |
      +---retry---------+  +--final failure--> failed
      +---lease expired-+
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class DeliveryState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a relay until `claimed_until`
    SENT = "sent"
    FAILED = "failed"  # for good: no relay will try again


@dataclass(frozen=True, slots=True)
class Notification:
    kind: str  # names the template: "account_created", "password_reset", ...
    channel: Channel
    recipient_address: str  # an email address, or an E.164 phone number for SMS
    recipient_name: str | None
    data: Mapping[str, str]  # the template's variables
    next_attempt_at: datetime  # due from this instant while queued
    # What caused it, for finding a record's notifications later: "user:<id>", ...
    source: str | None = None
    state: DeliveryState = DeliveryState.QUEUED
    attempts: int = 0  # claims so far: a relay that died mid-send used one too
    claimed_until: datetime | None = None  # the lease of the relay that holds it
    last_error: str | None = None
    sent_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)
