"""Session records the accounts use cases keep; plain data, no behaviour worth a domain module."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.accounts.model import Role


@dataclass(slots=True)
class RefreshToken:
    """Stored by hash only: a database leak must not hand out live sessions. Tokens rotate on
    every use; all tokens descended from one login share a `family_id`, so replaying an already
    rotated token (a sign it was stolen) revokes the whole family."""

    token_hash: str
    user_id: UUID
    family_id: UUID
    expires_at: datetime
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AccessClaims:
    user_id: UUID
    role: Role
    resident_id: UUID | None
    token_id: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class CallerState:
    """What authenticating one request needs to know, read in a single query."""

    role: Role
    resident_id: UUID | None
    active: bool
    tokens_valid_after: datetime | None
    token_revoked: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    actor_id: UUID | None
    action: str
    entity: str
    entity_id: str | None
    changed_fields: list[str]
    at: datetime


# Windows are counted from the Unix epoch, so every process agrees where one starts.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """Failed logins allowed per fixed time window. An account gets few (it is one person
    guessing at one password); a client address gets more, because a campus network puts many
    students behind one address."""

    failures_per_account: int = 5
    failures_per_address: int = 50
    window: timedelta = timedelta(minutes=15)

    def limit_for(self, key: str) -> int:
        return (
            self.failures_per_account if key.startswith("account:") else self.failures_per_address
        )

    def window_start(self, now: datetime) -> datetime:
        """The start, in UTC, of the window holding `now`. Exact timedelta arithmetic: a float
        timestamp loses microseconds far from 1970 and `int()` rounds towards zero before it,
        and wall-clock arithmetic in a zone with daylight saving time miscounts the wait."""
        return _EPOCH + (now - _EPOCH) // self.window * self.window

    def retry_after_seconds(self, now: datetime) -> int:
        """Whole seconds until the current window ends; never 0, so clients always wait."""
        remaining = self.window_start(now) + self.window - now
        return max(1, math.ceil(remaining.total_seconds()))
