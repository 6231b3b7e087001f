from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from application.accounts.commands import LoginCommand, RefreshCommand
from application.accounts.sessions import Login, Logout, RefreshSession
from application.accounts.users import GetUser
from application.accounts.views import SessionView, UserView
from domain.accounts.model import Principal
from entrypoints.http.access import PUBLIC, everyone
from entrypoints.http.audit import SKIP_AUDIT_KEY
from entrypoints.http.docs import PublicOperation, described_by, problems


class AuthController(Controller):
    path = "/api/auth"
    tags = ["Auth"]
    # Sessions are not entities: logging in and out leaves no entry in the audit trail.
    opt = {**everyone(), SKIP_AUDIT_KEY: True}

    @post(
        "/login",
        summary="Log in with email and password",
        description=described_by(Login),
        responses=problems(401, 422, 429, public=True),
        status_code=200,
        opt=PUBLIC,
        operation_class=PublicOperation,
    )
    async def login(
        self,
        data: JSONBody[LoginCommand],
        login: NamedDependency[Login],
        client_address: NamedDependency[str],
    ) -> SessionView:
        return await login(data, client_address)

    @post(
        "/refresh",
        summary="Exchange a refresh token for a new session",
        description=described_by(RefreshSession),
        responses=problems(401, 422, public=True),
        status_code=200,
        opt=PUBLIC,
        operation_class=PublicOperation,
    )
    async def refresh(
        self, data: JSONBody[RefreshCommand], refresh_session: NamedDependency[RefreshSession]
    ) -> SessionView:
        return await refresh_session(data)

    @post(
        "/logout",
        summary="Log out",
        description=described_by(Logout),
        responses=problems(422),
        status_code=204,
    )
    async def logout(
        self,
        request: Request[Principal, str, Any],
        data: JSONBody[RefreshCommand],
        logout: NamedDependency[Logout],
    ) -> None:
        await logout(request.auth, data)

    @get(
        "/me",
        summary="The caller's own account",
        description=described_by(GetUser),
        responses=problems(),
    )
    async def me(
        self, caller: NamedDependency[Principal], get_user: NamedDependency[GetUser]
    ) -> UserView:
        return await get_user(caller.user_id)
