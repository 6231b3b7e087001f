"""Signing in for the HTTP tests: accounts made through the use case, tokens from the real login
endpoint, and a `Caller` that speaks through the shared test client as one user."""

from typing import Any, TypeAlias
from uuid import UUID

import httpx
from httpx import Response
from litestar import Litestar
from litestar.testing import AsyncTestClient

from application.accounts.commands import CreateUserCommand
from domain.accounts.model import Role
from entrypoints.container import Container

Client: TypeAlias = AsyncTestClient[Litestar]
Json: TypeAlias = dict[str, Any]

PASSWORD = "a long and unusual passphrase"


class BearerToken(httpx.Auth):
    def __init__(self, token: str) -> None:
        self.token = token

    def auth_flow(self, request: httpx.Request) -> Any:
        request.headers["Authorization"] = f"Bearer {self.token}"
        yield request


class Caller:
    """The shared test client, speaking as one user (or as no one when `token` is None).
    Every request names its own `auth`, so the client's default never leaks in."""

    def __init__(self, http: Client, token: str | None, user_id: str | None = None) -> None:
        self.http = http
        self.token = token
        self.user_id = user_id
        self.auth = None if token is None else BearerToken(token)

    async def request(self, method: str, url: str, **kwargs: Any) -> Response:
        return await self.http.request(method, url, auth=self.auth, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> Response:
        return await self.request("POST", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> Response:
        return await self.request("PUT", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> Response:
        return await self.request("DELETE", url, **kwargs)


async def create_account(
    container: Container, role: str, email: str | None = None, resident_id: str | None = None
) -> str:
    """Makes an account through the use case (no audit entry) and returns its id."""
    view = await container.accounts.create_user()(
        CreateUserCommand(
            email=email or f"{role}@example.edu",
            password=PASSWORD,
            role=Role(role),
            resident_id=None if resident_id is None else UUID(resident_id),
        )
    )
    return str(view.id)


async def log_in(http: Client, email: str, password: str = PASSWORD, **kwargs: Any) -> Response:
    return await http.post(
        "/api/auth/login", json={"email": email, "password": password}, auth=None, **kwargs
    )


async def session_of(http: Client, email: str, password: str = PASSWORD) -> Json:
    response = await log_in(http, email, password)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def sign_in(
    http: Client, container: Container, role: str, resident_id: str | None = None
) -> Caller:
    email = f"{role}@example.edu"
    user_id = await create_account(container, role, email, resident_id)
    session = await session_of(http, email)
    return Caller(http, session["access_token"], user_id)
