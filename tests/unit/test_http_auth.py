"""Logging in, refreshing, logging out and the tokens the API refuses."""

import ipaddress
from collections.abc import AsyncIterator, Callable
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from litestar import Litestar

from adapters.security.jwt_codec import JwtTokenCodec
from entrypoints.container import Container
from entrypoints.http.authentication import client_address
from entrypoints.settings import Settings
from tests.fakes import FixedClock
from tests.unit.accounts_api import (
    PASSWORD,
    BearerToken,
    Caller,
    Client,
    create_account,
    log_in,
    session_of,
)
from tests.unit.housing_api import problem_of

EMAIL = "warden@example.edu"
Connect = Callable[[str], httpx.AsyncClient]


@pytest.fixture
async def warden(container: Container) -> str:
    return await create_account(container, "staff", EMAIL)


async def me(http: Client, token: str) -> httpx.Response:
    return await http.get("/api/auth/me", auth=BearerToken(token))


def tampered(token: str) -> str:
    """One character of the signature changed. Not the last one: its low bits are padding,
    which a base64 decoder may ignore."""
    position = len(token) - 10
    replacement = "A" if token[position] != "A" else "B"
    return token[:position] + replacement + token[position + 1 :]


async def test_login_then_me_shows_the_caller(http: Client, warden: str) -> None:
    session = await session_of(http, EMAIL)

    response = await me(http, session["access_token"])

    assert response.status_code == 200, response.text
    assert response.json()["id"] == warden
    assert response.json()["email"] == EMAIL
    assert response.json()["role"] == "staff"
    assert session["token_type"] == "bearer"
    assert session["expires_in"] == 15 * 60
    assert "password" not in response.text


async def test_login_ignores_the_case_of_the_email(http: Client, warden: str) -> None:
    assert (await log_in(http, "  Warden@Example.EDU")).status_code == 200


async def test_refresh_gives_a_working_pair_and_the_old_refresh_token_stops(
    http: Client, warden: str
) -> None:
    first = await session_of(http, EMAIL)

    refreshed = await http.post(
        "/api/auth/refresh", json={"refresh_token": first["refresh_token"]}, auth=None
    )
    replayed = await http.post(
        "/api/auth/refresh", json={"refresh_token": first["refresh_token"]}, auth=None
    )

    assert refreshed.status_code == 200, refreshed.text
    assert (await me(http, refreshed.json()["access_token"])).status_code == 200
    assert refreshed.json()["refresh_token"] != first["refresh_token"]
    problem_of(replayed, 401)


async def test_logout_revokes_the_access_and_the_refresh_token(http: Client, warden: str) -> None:
    session = await session_of(http, EMAIL)

    response = await http.post(
        "/api/auth/logout",
        json={"refresh_token": session["refresh_token"]},
        auth=BearerToken(session["access_token"]),
    )

    assert response.status_code == 204, response.text
    problem_of(await me(http, session["access_token"]), 401)
    refresh = await http.post(
        "/api/auth/refresh", json={"refresh_token": session["refresh_token"]}, auth=None
    )
    problem_of(refresh, 401)


async def test_logout_needs_the_bearer_token(http: Client, warden: str) -> None:
    session = await session_of(http, EMAIL)

    response = await http.post(
        "/api/auth/logout", json={"refresh_token": session["refresh_token"]}, auth=None
    )

    problem_of(response, 401)
    assert (await me(http, session["access_token"])).status_code == 200


async def test_an_access_token_stops_working_when_it_expires(
    http: Client, warden: str, clock: FixedClock
) -> None:
    token = (await session_of(http, EMAIL))["access_token"]

    clock.advance(timedelta(minutes=14, seconds=59))
    assert (await me(http, token)).status_code == 200
    clock.advance(timedelta(seconds=1))
    response = await me(http, token)

    assert problem_of(response, 401)["detail"] == "the access token is invalid or has expired"
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_token_minted_already_expired_is_refused(
    http: Client, warden: str, container: Container, clock: FixedClock
) -> None:
    codec = container.token_codec()
    claims = codec.decode((await session_of(http, EMAIL))["access_token"])

    expired = codec.encode(replace(claims, expires_at=clock.now() - timedelta(seconds=1)))

    problem_of(await me(http, expired), 401)


async def test_a_tampered_token_is_refused(http: Client, warden: str) -> None:
    token = (await session_of(http, EMAIL))["access_token"]

    problem_of(await me(http, tampered(token)), 401)
    assert (await me(http, token)).status_code == 200


@pytest.mark.parametrize(
    ("issuer", "audience"),
    [("campus-residence", "another-api"), ("someone-else", "campus-residence-api")],
)
async def test_a_token_for_another_audience_or_from_another_issuer_is_refused(
    http: Client,
    warden: str,
    container: Container,
    settings: Settings,
    clock: FixedClock,
    issuer: str,
    audience: str,
) -> None:
    claims = container.token_codec().decode((await session_of(http, EMAIL))["access_token"])
    elsewhere = JwtTokenCodec(settings.secret_key, issuer, audience, clock)

    problem_of(await me(http, elsewhere.encode(claims)), 401)


async def test_a_deactivated_account_is_refused_at_once(
    http: Client, warden: str, admin: Caller
) -> None:
    token = (await session_of(http, EMAIL))["access_token"]

    response = await admin.patch(f"/api/users/{warden}", json={"active": False})

    assert response.status_code == 200, response.text
    problem_of(await me(http, token), 401)
    problem_of(await log_in(http, EMAIL), 401)


async def test_wrong_password_and_unknown_email_get_the_same_answer(
    http: Client, warden: str
) -> None:
    wrong_password = await log_in(http, EMAIL, "not the right passphrase")
    unknown_email = await log_in(http, "nobody@example.edu", PASSWORD)

    assert problem_of(wrong_password, 401) == problem_of(unknown_email, 401)
    assert wrong_password.headers["www-authenticate"] == "Bearer"


async def test_too_many_failures_answer_429_even_for_the_right_password(
    http: Client, warden: str, settings: Settings
) -> None:
    for _ in range(settings.login_failures_per_account):
        problem_of(await log_in(http, EMAIL, "not the right passphrase"), 401)

    response = await log_in(http, EMAIL, PASSWORD)

    problem_of(response, 429)
    assert 0 < int(response.headers["retry-after"]) <= settings.login_window_minutes * 60


async def test_the_limit_lifts_when_the_window_ends(
    http: Client, warden: str, settings: Settings, clock: FixedClock
) -> None:
    for _ in range(settings.login_failures_per_account):
        await log_in(http, EMAIL, "not the right passphrase")
    retry_after = int((await log_in(http, EMAIL)).headers["retry-after"])

    clock.advance(timedelta(seconds=retry_after))

    assert (await log_in(http, EMAIL)).status_code == 200


class TestBehindProxies:
    """Failures are counted per client address: 3 per address here, and plenty per account
    so that only the address limit can trip."""

    @pytest.fixture
    def environment(self, environment: dict[str, str]) -> dict[str, str]:
        return {
            **environment,
            "TRUSTED_PROXIES": "10.0.0.0/8",
            "LOGIN_FAILURES_PER_ADDRESS": "3",
            "LOGIN_FAILURES_PER_ACCOUNT": "100",
        }

    @pytest.fixture
    async def from_peer(self, app: Litestar, http: Client) -> AsyncIterator[Connect]:
        """A client whose TCP peer address the test chooses (`http` runs the app's lifespan)."""
        clients: list[httpx.AsyncClient] = []

        def connect(peer: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(peer, 40000))
            client = httpx.AsyncClient(transport=transport, base_url="http://testserver.local")
            clients.append(client)
            return client

        yield connect
        for client in clients:
            await client.aclose()

    @staticmethod
    async def fail(client: httpx.AsyncClient, forwarded_for: str | None = None) -> int:
        headers = {} if forwarded_for is None else {"X-Forwarded-For": forwarded_for}
        response = await client.post(
            "/api/auth/login",
            json={"email": EMAIL, "password": "not the right passphrase"},
            headers=headers,
        )
        return response.status_code

    async def test_forwarded_for_is_ignored_from_an_untrusted_peer(
        self, from_peer: Connect, warden: str
    ) -> None:
        client = from_peer("203.0.113.50")

        statuses = [await self.fail(client, f"198.51.100.{n}") for n in range(4)]

        assert statuses == [401, 401, 401, 429]

    async def test_a_trusted_proxy_names_the_client(self, from_peer: Connect, warden: str) -> None:
        proxy = from_peer("10.0.0.7")

        first = [await self.fail(proxy, "198.51.100.1") for _ in range(4)]
        other_client = await self.fail(proxy, "198.51.100.2")

        assert first == [401, 401, 401, 429]
        assert other_client == 401

    async def test_hops_left_of_the_client_are_the_clients_own_claim(
        self, from_peer: Connect, warden: str
    ) -> None:
        proxy = from_peer("10.0.0.7")

        statuses = [
            await self.fail(proxy, f"192.0.2.{n}, 198.51.100.1, 10.0.0.3") for n in range(4)
        ]

        assert statuses == [401, 401, 401, 429]


TRUSTED = [ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("fd00::/8")]


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "expected"),
    [
        ("203.0.113.5", ["198.51.100.1"], "203.0.113.5"),
        ("10.0.0.7", [], "10.0.0.7"),
        ("10.0.0.7", ["198.51.100.1"], "198.51.100.1"),
        ("10.0.0.7", ["192.0.2.9, 198.51.100.1, 10.0.0.3"], "198.51.100.1"),
        ("10.0.0.7", ["192.0.2.9", "198.51.100.1"], "198.51.100.1"),
        ("10.0.0.7", ["10.0.0.9, 10.0.0.3"], "10.0.0.9"),
        ("10.0.0.7", ["unknown"], "10.0.0.7"),
        ("fd00::1", ["2001:db8::5"], "2001:db8::5"),
        ("testclient", ["198.51.100.1"], "testclient"),
        (None, ["198.51.100.1"], "unknown"),
    ],
)
def test_the_client_address_trusts_only_configured_proxies(
    peer: str | None, forwarded_for: list[str], expected: str
) -> None:
    assert client_address(peer, forwarded_for, TRUSTED) == expected
