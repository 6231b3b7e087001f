"""Pure rules of accounts."""

from functools import cache
from importlib.resources import files
from uuid import UUID

from domain.accounts.model import Role
from domain.shared.errors import InvalidValue

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    """Passwords that appear at the top of every breach list, lower-cased."""
    text = files("domain.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def check_password(password: str, email: str) -> str:
    """Length is what makes a password strong (NIST SP 800-63B): at least 12 characters, not a
    well-known password, and not the account's own email or its name part."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidValue("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidValue("password", f"must be at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.lower()
    # Lower-cased one by one: lowering the whole string can turn one character into two ("İ").
    distinct = {char.lower() for char in password}
    if lowered in common_passwords() or len(distinct) <= 2:
        raise InvalidValue("password", "is too common; choose a longer, less predictable one")
    local_part = email.lower().partition("@")[0]
    if lowered in {email.lower(), local_part}:
        raise InvalidValue("password", "must not be the email address")
    return password


def check_resident_link(role: Role, resident_id: UUID | None) -> None:
    """A resident account belongs to exactly one resident record; no other account does."""
    if role is Role.RESIDENT and resident_id is None:
        raise InvalidValue("resident_id", "is required for a resident account")
    if role is not Role.RESIDENT and resident_id is not None:
        raise InvalidValue("resident_id", "only resident accounts are linked to a resident")
