"""In-memory fakes of the accounts ports."""

import copy
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Self
from uuid import UUID

from application.accounts.model import (
    AccessClaims,
    AuditEntry,
    CallerState,
    LoginLimits,
    RefreshToken,
)
from application.accounts.views import (
    AuditEntryView,
    AuditFilter,
    AuditPage,
    UserFilter,
    UserPage,
    UserView,
)
from application.shared.paging import PageRequest
from domain.accounts.model import User
from domain.notifications.model import Notification
from domain.shared.errors import Conflict, RateLimited, Unauthenticated
from tests.fakes.notifications import InMemoryNotificationOutbox, InMemoryNotificationStore
from tests.fakes.system import FixedClock


@dataclass
class AccountsTables:
    users: dict[UUID, User] = field(default_factory=dict)
    refresh_tokens: dict[str, RefreshToken] = field(default_factory=dict)
    revoked_access_tokens: dict[str, datetime] = field(default_factory=dict)
    created_at: dict[UUID, datetime] = field(default_factory=dict)
    updated_at: dict[UUID, datetime] = field(default_factory=dict)


class InMemoryAccountsStore:
    def __init__(
        self,
        clock: FixedClock | None = None,
        notifications: InMemoryNotificationStore | None = None,
    ) -> None:
        self.tables = AccountsTables()
        self.clock = clock or FixedClock()
        # The outbox shares the accounts transaction, as the two tables share a database.
        self.notifications = notifications or InMemoryNotificationStore()


class InMemoryUserRepository:
    def __init__(self, tables: AccountsTables, clock: FixedClock) -> None:
        self._tables = tables
        self._clock = clock

    def _find(self, **match: object) -> User | None:
        for user in self._tables.users.values():
            if all(getattr(user, name) == value for name, value in match.items()):
                return copy.deepcopy(user)
        return None

    async def get(self, user_id: UUID) -> User | None:
        return self._find(id=user_id)

    async def get_by_email(self, email: str) -> User | None:
        return self._find(email=email)

    async def get_by_resident(self, resident_id: UUID) -> User | None:
        return self._find(resident_id=resident_id)

    def _check_unique(self, user: User) -> None:
        """The tables' unique constraints on email and resident_id, as the database reports them."""
        for other in self._tables.users.values():
            if other.id == user.id:
                continue
            if other.email == user.email:
                raise Conflict("email is already taken", field="email")
            if user.resident_id is not None and other.resident_id == user.resident_id:
                raise Conflict("resident_id is already taken", field="resident_id")

    async def add(self, user: User) -> None:
        if user.id in self._tables.users:
            raise Conflict("id is already taken", field="id")
        self._check_unique(user)
        self._tables.users[user.id] = copy.deepcopy(user)
        self._tables.created_at[user.id] = self._tables.updated_at[user.id] = self._clock.now()

    async def update(self, user: User) -> None:
        if user.id in self._tables.users:
            self._check_unique(user)
            self._tables.users[user.id] = copy.deepcopy(user)
            self._tables.updated_at[user.id] = self._clock.now()


class InMemorySessionRepository:
    def __init__(self, tables: AccountsTables) -> None:
        self._tables = tables

    async def add_refresh_token(self, token: RefreshToken) -> None:
        self._tables.refresh_tokens[token.token_hash] = copy.deepcopy(token)

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        return copy.deepcopy(self._tables.refresh_tokens.get(token_hash))

    def _revoke_where(self, at: datetime, **match: object) -> None:
        for token in self._tables.refresh_tokens.values():
            if token.revoked_at is None and all(getattr(token, k) == v for k, v in match.items()):
                token.revoked_at = at

    async def revoke_refresh_token(self, token_hash: str, at: datetime) -> None:
        self._revoke_where(at, token_hash=token_hash)

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        self._revoke_where(at, family_id=family_id)

    async def revoke_user(self, user_id: UUID, at: datetime) -> None:
        self._revoke_where(at, user_id=user_id)

    async def revoke_access_token(self, token_id: str, expires_at: datetime) -> None:
        self._tables.revoked_access_tokens.setdefault(token_id, expires_at)

    async def access_token_revoked(self, token_id: str) -> bool:
        return token_id in self._tables.revoked_access_tokens


class InMemoryAccountsUnitOfWork:
    """Works on a private copy; `commit()` publishes it, like a database transaction."""

    def __init__(self, store: InMemoryAccountsStore) -> None:
        self._store = store
        self._work: AccountsTables | None = None

    async def __aenter__(self) -> Self:
        self._work = copy.deepcopy(self._store.tables)
        self.users = InMemoryUserRepository(self._work, self._store.clock)
        self.sessions = InMemorySessionRepository(self._work)
        self._queued: dict[UUID, Notification] = {}
        self.outbox = InMemoryNotificationOutbox(self._queued)
        return self

    async def commit(self) -> None:
        assert self._work is not None, "commit() outside `async with`"
        self._store.tables = copy.deepcopy(self._work)
        # Use cases only add to the outbox here; the relay's claims go through its own unit
        # of work, so publishing the additions is the whole commit.
        self._store.notifications.rows.update(self._queued)
        self._queued = {}

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._work = None


class InMemoryAccountQueries:
    def __init__(self, store: InMemoryAccountsStore) -> None:
        self._store = store

    def _view(self, user: User) -> UserView:
        tables = self._store.tables
        return UserView(
            id=user.id,
            email=user.email,
            role=user.role,
            resident_id=user.resident_id,
            active=user.active,
            created_at=tables.created_at[user.id],
            updated_at=tables.updated_at[user.id],
        )

    async def caller(self, user_id: UUID, token_id: str) -> CallerState | None:
        tables = self._store.tables
        user = tables.users.get(user_id)
        if user is None:
            return None
        return CallerState(
            role=user.role,
            resident_id=user.resident_id,
            active=user.active,
            tokens_valid_after=user.tokens_valid_after,
            token_revoked=token_id in tables.revoked_access_tokens,
        )

    async def user(self, user_id: UUID) -> UserView | None:
        user = self._store.tables.users.get(user_id)
        return None if user is None else self._view(user)

    async def users(self, criteria: UserFilter, page: PageRequest) -> UserPage:
        matching = sorted(
            (
                user
                for user in self._store.tables.users.values()
                if criteria.role in (None, user.role) and criteria.active in (None, user.active)
            ),
            key=lambda user: (user.email, str(user.id)),
        )
        items = [self._view(user) for user in matching[page.offset : page.offset + page.limit]]
        return UserPage(items=items, total=len(matching), limit=page.limit, offset=page.offset)


class PlainPasswordHasher:
    """Reversible and instant: unit tests check who verified what, not Argon2's cost."""

    def __init__(self) -> None:
        self.verified: list[str] = []

    async def hash(self, password: str) -> str:
        return f"plain${password}"

    async def verify(self, password: str, password_hash: str) -> bool:
        self.verified.append(password_hash)
        return password_hash == f"plain${password}"


class InMemoryLoginThrottle:
    def __init__(self, clock: FixedClock, limits: LoginLimits | None = None) -> None:
        self._clock = clock
        self._limits = limits or LoginLimits()
        self._failures: dict[tuple[str, datetime], int] = {}

    def _slot(self, key: str) -> tuple[str, datetime]:
        return key, self._limits.window_start(self._clock.now())

    async def check(self, keys: list[str]) -> None:
        for key in keys:
            if self._failures.get(self._slot(key), 0) >= self._limits.limit_for(key):
                raise RateLimited(
                    "too many failed logins", self._limits.retry_after_seconds(self._clock.now())
                )

    async def record_failure(self, keys: list[str]) -> None:
        for key in keys:
            slot = self._slot(key)
            self._failures[slot] = self._failures.get(slot, 0) + 1

    async def clear(self, key: str) -> None:
        self._failures.pop(self._slot(key), None)


class InMemoryAuditLog:
    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    async def record(self, entry: AuditEntry) -> None:
        self.entries.append(entry)

    async def search(self, criteria: AuditFilter, page: PageRequest) -> AuditPage:
        numbered = [
            (number, entry)
            for number, entry in enumerate(self.entries, start=1)
            if criteria.entity in (None, entry.entity)
            and criteria.actor_id in (None, entry.actor_id)
            and (criteria.since is None or entry.at >= criteria.since)
            and (criteria.until is None or entry.at < criteria.until)
        ]
        numbered.sort(key=lambda pair: (pair[1].at, pair[0]), reverse=True)
        items = [
            AuditEntryView(
                id=number,
                at=entry.at,
                actor_id=entry.actor_id,
                action=entry.action,
                entity=entry.entity,
                entity_id=entry.entity_id,
                changed_fields=list(entry.changed_fields),
            )
            for number, entry in numbered[page.offset : page.offset + page.limit]
        ]
        return AuditPage(items=items, total=len(numbered), limit=page.limit, offset=page.offset)


class FakeTokenCodec:
    """Readable tokens (`token:<n>`) for use-case tests that do not exercise JWT itself."""

    def __init__(self) -> None:
        self.issued: dict[str, AccessClaims] = {}

    def encode(self, claims: AccessClaims) -> str:
        token = f"token:{len(self.issued) + 1}"
        self.issued[token] = claims
        return token

    def decode(self, token: str) -> AccessClaims:
        if token not in self.issued:
            raise Unauthenticated("the access token is invalid or has expired")
        return self.issued[token]
