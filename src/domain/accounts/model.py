"""Who may use the system: user accounts and their roles."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"  # the residence office
    TECHNICIAN = "technician"
    RESIDENT = "resident"


# Roles that manage the housing inventory and everyone's records.
OFFICE_ROLES = frozenset({Role.ADMIN, Role.STAFF})


@dataclass(slots=True)
class User:
    email: str
    role: Role
    password_hash: str
    resident_id: UUID | None = None
    active: bool = True
    # Access tokens issued before this instant are refused: a password reset or a
    # deactivation ends sessions at once, not when their tokens expire.
    tokens_valid_after: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    def end_sessions(self, now: datetime) -> None:
        # Token issue times have whole-second precision; a token minted later in this same
        # second must still count as newer.
        self.tokens_valid_after = now.replace(microsecond=0)

    def accepts_token_issued_at(self, issued_at: datetime) -> bool:
        return token_still_valid(self.tokens_valid_after, issued_at)


def token_still_valid(tokens_valid_after: datetime | None, issued_at: datetime) -> bool:
    return tokens_valid_after is None or issued_at >= tokens_valid_after


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated caller of a use case."""

    user_id: UUID
    role: Role
    resident_id: UUID | None = None

    @property
    def is_office(self) -> bool:
        return self.role in OFFICE_ROLES

    def may_see_resident(self, resident_id: UUID) -> bool:
        return self.is_office or (self.role is Role.RESIDENT and self.resident_id == resident_id)
