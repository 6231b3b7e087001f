from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import UNSET, UnsetType

from application.shared.structs import Command, Patch
from domain.accounts.model import Role
from domain.accounts.rules import MAX_PASSWORD_LENGTH

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=254, examples=["warden@example.edu"])]
Password = Annotated[
    str, msgspec.Meta(max_length=MAX_PASSWORD_LENGTH, examples=["correct horse battery"])
]


class LoginCommand(Command):
    email: Email
    password: Password


class RefreshCommand(Command):
    refresh_token: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class CreateUserCommand(Command):
    email: Email
    password: Password
    role: Role
    resident_id: UUID | None = None


class UserPatch(Patch):
    active: bool | UnsetType = UNSET


class ResetPasswordCommand(Command):
    password: Password
