"""Payment webhooks: proving a call came from the gateway, and what it says happened.

The gateway signs each webhook Stripe-style: the header `t=<unix seconds>,v1=<hex>` carries the
time of sending and an HMAC-SHA256, keyed with the shared secret, of `"<t>." + body`. Signing
the time stops a captured webhook from being replayed later; the tolerance (five minutes by
default, both ways, for clock drift) bounds how stale a call may be. While a secret is being
rotated the gateway signs with both and sends several `v1` entries: any one matching is enough.
Other schemes (`v0`, ...) are ignored, as are unknown keys.
"""

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.bookings.errors import InvalidSignature, SignatureProblem

DEFAULT_TOLERANCE_SECONDS = 300
SCHEME = "v1"
# Unix seconds fit in 12 digits for the next 30,000 years; more is not a timestamp.
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
# A header is a handful of short entries; refusing a huge one early keeps parsing cheap.
MAX_HEADER_LENGTH = 4096


class PaymentKind(StrEnum):
    SUCCEEDED = "payment.succeeded"
    FAILED = "payment.failed"
    REFUND = "refund"


@dataclass(frozen=True, slots=True)
class PaymentEvent:
    """What a verified webhook reports. `event_id` is the gateway's, so a webhook delivered twice
    is recognised and applied once."""

    event_id: str
    booking_id: UUID
    amount_cents: int
    currency: str
    kind: PaymentKind
    occurred_at: datetime
    # The gateway's checkout the event is about: which of the booking's payments it settles.
    checkout_id: str | None = None


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The hex `v1` signature of `body` sent at `timestamp`."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signature_header(secret: bytes, timestamp: int, body: bytes) -> str:
    """The header the gateway sends (for the sandbox gateway and tests)."""
    return f"t={timestamp},{SCHEME}={sign(secret, timestamp, body)}"


def parse_header(header_value: str | None) -> tuple[int, list[str]]:
    """The timestamp and the `v1` signatures of a signature header."""
    if header_value is None or not header_value.strip():
        raise InvalidSignature(SignatureProblem.MISSING)
    if len(header_value) > MAX_HEADER_LENGTH:
        raise InvalidSignature(SignatureProblem.MALFORMED)
    timestamps: list[str] = []
    signatures: list[str] = []
    for entry in header_value.split(","):
        key, equals, value = (part.strip() for part in entry.partition("="))
        if not equals:
            raise InvalidSignature(SignatureProblem.MALFORMED)
        if key == "t":
            timestamps.append(value)
        elif key == SCHEME:
            signatures.append(value)
    # Exactly one timestamp: with two, which one did the signature cover?
    if len(timestamps) != 1 or not _TIMESTAMP.fullmatch(timestamps[0]) or not signatures:
        raise InvalidSignature(SignatureProblem.MALFORMED)
    return int(timestamps[0]), signatures


def verify_signature(
    secret: bytes,
    header_value: str | None,
    body: bytes,
    now_epoch: int,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
) -> int:
    """Return the signed timestamp, or raise InvalidSignature naming the failed check.

    The timestamp is checked first: a stale call is refused whatever it carries. Signatures are
    compared in constant time, so a forger learns nothing from how long a refusal took, and
    exactly: the gateway sends lower-case hex, so anything else is not its signature.
    """
    if tolerance_seconds < 0:
        raise ValueError("the tolerance must not be negative")
    timestamp, candidates = parse_header(header_value)
    if abs(now_epoch - timestamp) > tolerance_seconds:
        raise InvalidSignature(SignatureProblem.STALE)
    expected = sign(secret, timestamp, body).encode("ascii")
    matched = False
    for candidate in candidates:
        # Only hex digests are compared: compare_digest refuses non-ASCII text.
        if _HEX_DIGEST.fullmatch(candidate):
            matched |= hmac.compare_digest(expected, candidate.encode("ascii"))
    if not matched:
        raise InvalidSignature(SignatureProblem.MISMATCH)
    return timestamp
