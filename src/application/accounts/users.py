"""Accounts administration: admins create, deactivate and reset the accounts of others."""

from typing import Protocol
from uuid import UUID

from msgspec import UNSET

from application.accounts.commands import CreateUserCommand, ResetPasswordCommand, UserPatch
from application.accounts.ports import AccountQueries, AccountsUnitOfWorkFactory, PasswordHasher
from application.accounts.views import UserFilter, UserPage, UserView
from application.notifications.notifier import Notifier
from application.shared.paging import PageRequest
from application.shared.ports import Clock
from domain.accounts.model import Principal, User
from domain.accounts.rules import check_password, check_resident_link
from domain.housing.rules import normalise_email
from domain.shared.errors import Conflict, InvalidValue, NotFound


class ResidentLookup(Protocol):
    """The housing context's answer to "does this resident exist?"."""

    async def resident(self, resident_id: UUID) -> object | None: ...


async def _view(queries: AccountQueries, user_id: UUID) -> UserView:
    view = await queries.user(user_id)
    if view is None:
        raise NotFound("user", user_id)
    return view


class CreateUser:
    """Creates an account (`admin`, `staff`, `technician` or `resident`).

    - the email is normalised and unique among accounts (409).
    - the password has at least 12 characters, is not a well-known password and is not the
      email (422 naming `password`).
    - a resident account names an existing resident in `resident_id`, and a resident has at
      most one account (409); other roles have no `resident_id`.
    - the new account's email address is told that the account exists and where to sign in;
      the message never carries the password.
    """

    def __init__(
        self,
        uow: AccountsUnitOfWorkFactory,
        hasher: PasswordHasher,
        queries: AccountQueries,
        residents: ResidentLookup,
        notifier: Notifier,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._queries = queries
        self._residents = residents
        self._notifier = notifier

    async def __call__(self, command: CreateUserCommand) -> UserView:
        email = normalise_email(command.email)
        check_password(command.password, email)
        check_resident_link(command.role, command.resident_id)
        if (
            command.resident_id is not None
            and await self._residents.resident(command.resident_id) is None
        ):
            raise InvalidValue("resident_id", f"no resident has id {command.resident_id}")
        user = User(
            email=email,
            role=command.role,
            password_hash=await self._hasher.hash(command.password),
            resident_id=command.resident_id,
        )
        async with self._uow() as uow:
            if await uow.users.get_by_email(email):
                raise Conflict(f"an account with email {email} already exists", field="email")
            if user.resident_id and await uow.users.get_by_resident(user.resident_id):
                raise Conflict("this resident already has an account", field="resident_id")
            await uow.users.add(user)
            await uow.outbox.add(
                self._notifier.email(
                    "account_created",
                    to=user.email,
                    data={"email": user.email, "role": user.role.value},
                    source=f"user:{user.id}",
                )
            )
            await uow.commit()
        await self._notifier.deliver_soon()
        return await _view(self._queries, user.id)


class UpdateUser:
    """Activates or deactivates an account. Deactivation ends its sessions at once; admins
    cannot deactivate their own account (409), so the system never locks out its last admin
    by accident."""

    def __init__(
        self, uow: AccountsUnitOfWorkFactory, queries: AccountQueries, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    async def __call__(self, actor: Principal, user_id: UUID, patch: UserPatch) -> UserView:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            if patch.active is not UNSET:
                if not patch.active and user.id == actor.user_id:
                    raise Conflict("you cannot deactivate your own account", field="active")
                user.active = patch.active
                if not user.active:
                    user.end_sessions(self._clock.now())
                    await uow.sessions.revoke_user(user.id, self._clock.now())
            await uow.users.update(user)
            await uow.commit()
        return await _view(self._queries, user_id)


class ResetPassword:
    """Sets a new password for an account (same rules as at creation) and ends its sessions.
    The account's email address is told that an administrator reset it, and to contact the
    office if that was not expected."""

    def __init__(
        self,
        uow: AccountsUnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        notifier: Notifier,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._notifier = notifier

    async def __call__(self, user_id: UUID, command: ResetPasswordCommand) -> None:
        async with self._uow() as uow:
            user = await uow.users.get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.password_hash = await self._hasher.hash(
                check_password(command.password, user.email)
            )
            now = self._clock.now()
            user.end_sessions(now)
            await uow.users.update(user)
            await uow.sessions.revoke_user(user.id, now)
            await uow.outbox.add(
                self._notifier.email(
                    "password_reset",
                    to=user.email,
                    data={"email": user.email, "reset_at": f"{now:%d %B %Y at %H:%M} UTC"},
                    source=f"user:{user.id}",
                )
            )
            await uow.commit()
        await self._notifier.deliver_soon()


class GetUser:
    """Reads one account (never its password hash)."""

    def __init__(self, queries: AccountQueries) -> None:
        self._queries = queries

    async def __call__(self, user_id: UUID) -> UserView:
        return await _view(self._queries, user_id)


class ListUsers:
    """Lists accounts ordered by email, optionally by role and active flag."""

    def __init__(self, queries: AccountQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: UserFilter, page: PageRequest) -> UserPage:
        return await self._queries.users(criteria, page)
