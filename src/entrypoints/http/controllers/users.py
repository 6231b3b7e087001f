from uuid import UUID

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from application.accounts.commands import CreateUserCommand, ResetPasswordCommand, UserPatch
from application.accounts.users import CreateUser, GetUser, ListUsers, ResetPassword, UpdateUser
from application.accounts.views import UserFilter, UserPage, UserView
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from entrypoints.http.access import allowed
from entrypoints.http.docs import described_by, problems


class UserController(Controller):
    path = "/api/users"
    tags = ["Users"]
    opt = allowed(Role.ADMIN)

    @post(
        "/",
        summary="Create an account",
        description=described_by(CreateUser),
        responses=problems(403, 409, 422),
    )
    async def create(
        self, data: JSONBody[CreateUserCommand], create_user: NamedDependency[CreateUser]
    ) -> UserView:
        return await create_user(data)

    @get(
        "/",
        summary="List accounts",
        description=described_by(ListUsers),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_users: NamedDependency[ListUsers],
        page: NamedDependency[PageRequest],
        role: FromQuery[Role | None] = None,
        active: FromQuery[bool | None] = None,
    ) -> UserPage:
        return await list_users(UserFilter(role=role, active=active), page)

    @get(
        "/{user_id:uuid}",
        summary="Read an account",
        description=described_by(GetUser),
        responses=problems(403, 404),
    )
    async def read(self, user_id: FromPath[UUID], get_user: NamedDependency[GetUser]) -> UserView:
        return await get_user(user_id)

    @patch(
        "/{user_id:uuid}",
        summary="Activate or deactivate an account",
        description=described_by(UpdateUser),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[UserPatch],
        caller: NamedDependency[Principal],
        update_user: NamedDependency[UpdateUser],
    ) -> UserView:
        return await update_user(caller, user_id, data)

    @post(
        "/{user_id:uuid}/password",
        summary="Set a new password for an account",
        description=described_by(ResetPassword),
        responses=problems(403, 404, 422),
        status_code=204,
    )
    async def reset_password(
        self,
        user_id: FromPath[UUID],
        data: JSONBody[ResetPasswordCommand],
        reset_password: NamedDependency[ResetPassword],
    ) -> None:
        await reset_password(user_id, data)
