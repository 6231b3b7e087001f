"""Logging in and out, refreshing sessions, and turning a token back into a caller."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from application.accounts.commands import LoginCommand, RefreshCommand
from application.accounts.model import AccessClaims, RefreshToken
from application.accounts.ports import (
    AccountQueries,
    AccountsUnitOfWork,
    AccountsUnitOfWorkFactory,
    LoginThrottle,
    PasswordHasher,
    TokenCodec,
)
from application.accounts.views import SessionView
from application.shared.ports import Clock
from domain.accounts.model import Principal, User, token_still_valid
from domain.shared.errors import Unauthenticated

WRONG_CREDENTIALS = "the email or the password is wrong"
INVALID_SESSION = "the session is invalid or has expired; log in again"


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenPolicy:
    access_ttl: timedelta = timedelta(minutes=15)
    refresh_ttl: timedelta = timedelta(days=14)


class SessionIssuer:
    """Mints an access token and a refresh token for a user; shared by login and refresh."""

    def __init__(self, codec: TokenCodec, clock: Clock, policy: TokenPolicy) -> None:
        self._codec = codec
        self._clock = clock
        self._policy = policy

    async def issue(
        self, uow: AccountsUnitOfWork, user: User, family_id: UUID | None = None
    ) -> SessionView:
        now = self._clock.now()
        claims = AccessClaims(
            user_id=user.id,
            role=user.role,
            resident_id=user.resident_id,
            token_id=secrets.token_urlsafe(16),
            issued_at=now,
            expires_at=now + self._policy.access_ttl,
        )
        refresh_token = secrets.token_urlsafe(32)
        await uow.sessions.add_refresh_token(
            RefreshToken(
                token_hash=hash_refresh_token(refresh_token),
                user_id=user.id,
                family_id=family_id or uuid4(),
                expires_at=now + self._policy.refresh_ttl,
            )
        )
        return SessionView(
            access_token=self._codec.encode(claims),
            token_type="bearer",
            expires_in=int(self._policy.access_ttl.total_seconds()),
            refresh_token=refresh_token,
            refresh_expires_in=int(self._policy.refresh_ttl.total_seconds()),
        )


class Login:
    """Exchanges an email and password for an access token and a refresh token.

    - a wrong password, an unknown email and a deactivated account all get the same 401, and
      cost the same time (an unknown email is checked against a dummy hash).
    - failed attempts are counted per account and per client address; past the limit the
      answer is 429 with Retry-After, even for the right password.
    """

    def __init__(
        self,
        uow: AccountsUnitOfWorkFactory,
        hasher: PasswordHasher,
        throttle: LoginThrottle,
        issuer: SessionIssuer,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._throttle = throttle
        self._issuer = issuer
        self._dummy_hash: str | None = None

    async def __call__(self, command: LoginCommand, client_address: str) -> SessionView:
        email = command.email.strip().lower()
        account_key = f"account:{email}"
        keys = [account_key, f"address:{client_address}"]
        await self._throttle.check(keys)
        async with self._uow() as uow:
            user = await uow.users.get_by_email(email)
            password_hash = user.password_hash if user else await self._dummy()
            valid = await self._hasher.verify(command.password, password_hash)
            if user is None or not valid or not user.active:
                await self._throttle.record_failure(keys)
                raise Unauthenticated(WRONG_CREDENTIALS)
            session = await self._issuer.issue(uow, user)
            await uow.commit()
        await self._throttle.clear(account_key)
        return session

    async def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = await self._hasher.hash(secrets.token_urlsafe(24))
        return self._dummy_hash


class RefreshSession:
    """Exchanges a refresh token for a new pair; the old refresh token stops working.

    Presenting a refresh token that was already exchanged revokes every token of that login
    (whoever holds the newer one loses it too), since only a copy could be replayed.
    """

    def __init__(self, uow: AccountsUnitOfWorkFactory, issuer: SessionIssuer, clock: Clock) -> None:
        self._uow = uow
        self._issuer = issuer
        self._clock = clock

    async def __call__(self, command: RefreshCommand) -> SessionView:
        now = self._clock.now()
        async with self._uow() as uow:
            stored = await uow.sessions.refresh_token(hash_refresh_token(command.refresh_token))
            if stored is None or stored.expires_at <= now:
                raise Unauthenticated(INVALID_SESSION)
            if stored.revoked_at is not None:
                await uow.sessions.revoke_family(stored.family_id, now)
                await uow.commit()
                raise Unauthenticated(INVALID_SESSION)
            user = await uow.users.get(stored.user_id)
            if user is None or not user.active:
                raise Unauthenticated(INVALID_SESSION)
            await uow.sessions.revoke_refresh_token(stored.token_hash, now)
            session = await self._issuer.issue(uow, user, family_id=stored.family_id)
            await uow.commit()
        return session


class Logout:
    """Ends the session: its refresh tokens and the access token presented stop working."""

    def __init__(self, uow: AccountsUnitOfWorkFactory, codec: TokenCodec, clock: Clock) -> None:
        self._uow = uow
        self._codec = codec
        self._clock = clock

    async def __call__(self, access_token: str, command: RefreshCommand) -> None:
        claims = self._codec.decode(access_token)
        now = self._clock.now()
        async with self._uow() as uow:
            stored = await uow.sessions.refresh_token(hash_refresh_token(command.refresh_token))
            if stored is not None and stored.user_id == claims.user_id:
                await uow.sessions.revoke_family(stored.family_id, now)
            await uow.sessions.revoke_access_token(claims.token_id, claims.expires_at)
            await uow.commit()


class Authenticate:
    """Turns a bearer token into the caller. The role is read from the account, not the token,
    so a role change or a deactivation takes effect at once. Every request pays for this, so it
    is one read query and no transaction."""

    def __init__(self, queries: AccountQueries, codec: TokenCodec) -> None:
        self._queries = queries
        self._codec = codec

    async def __call__(self, token: str) -> Principal:
        claims = self._codec.decode(token)
        caller = await self._queries.caller(claims.user_id, claims.token_id)
        if (
            caller is None
            or not caller.active
            or caller.token_revoked
            or not token_still_valid(caller.tokens_valid_after, claims.issued_at)
        ):
            raise Unauthenticated(INVALID_SESSION)
        return Principal(user_id=claims.user_id, role=caller.role, resident_id=caller.resident_id)
