"""Who is calling: bearer tokens become a Principal, and the client's address is worked out
without trusting headers that anyone can forge."""

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.di import Provide
from litestar.enums import ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.types import ASGIApp

from application.accounts.sessions import Authenticate
from domain.accounts.model import Principal
from domain.shared.errors import Unauthenticated
from entrypoints.http.access import PUBLIC_KEY

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


# Browsers cannot set headers on a WebSocket. They offer the token as the subprotocol after
# this one (`new WebSocket(url, ["bearer", token])`), and the server accepts `bearer` without
# echoing the token; or, as a last resort, they put it in the query string.
BEARER_SUBPROTOCOL = "bearer"
TOKEN_QUERY_PARAMETER = "token"


def bearer_token(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def websocket_token(subprotocols: Sequence[str], query_token: str | None) -> str | None:
    if BEARER_SUBPROTOCOL in subprotocols:
        offered = list(subprotocols)
        position = offered.index(BEARER_SUBPROTOCOL) + 1
        token = offered[position].strip() if position < len(offered) else ""
        return token or None
    query_token = (query_token or "").strip()
    return query_token or None


def connection_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The Authorization header; for a WebSocket also the bearer subprotocol or `?token=`.
    HTTP requests never take a token from the URL, where logs and browser history keep it."""
    token = bearer_token(connection.headers.get("authorization"))
    if token is not None or connection.scope["type"] != ScopeType.WEBSOCKET:
        return token
    return websocket_token(
        connection.scope.get("subprotocols", []),  # type: ignore[arg-type]
        connection.query_params.get(TOKEN_QUERY_PARAMETER),
    )


class BearerAuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Every route but those marked public needs `Authorization: Bearer <access token>` (a
    WebSocket may send it as described at BEARER_SUBPROTOCOL); the caller becomes
    `request.user` and the raw token `request.auth` (logout revokes it)."""

    def __init__(self, app: ASGIApp, authenticate: Callable[[], Authenticate]) -> None:
        super().__init__(app, exclude_from_auth_key=PUBLIC_KEY)
        # The container's provider, resolved per request: tests and the CLI may override it.
        self._authenticate = authenticate

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = connection_token(connection)
        if token is None:
            raise Unauthenticated("a bearer token is required")
        principal = await self._authenticate()(token)
        return AuthenticationResult(user=principal, auth=token)


def provide_caller(request: Request[Principal, str, Any]) -> Principal:
    return request.user


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address)
    except ValueError:
        return None


def _within(address: str, networks: Iterable[Network]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in network for network in networks)


def client_address(peer: str | None, forwarded_for: list[str], trusted: list[Network]) -> str:
    """The address login attempts are counted against.

    X-Forwarded-For is believed only when the connection comes from a trusted proxy; then the
    right-most hop that is not itself a trusted proxy is the client. Hops further left were
    written by the client and can say anything."""
    if peer is None:
        return "unknown"
    if not _within(peer, trusted):
        return peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _within(hop, trusted):
            # A hop that is not an address means a proxy we trust did not write it.
            return hop if _ip(hop) is not None else peer
    return hops[0] if hops else peer


def client_address_provider(trusted_proxies: Iterable[str]) -> Provide:
    trusted = [ipaddress.ip_network(proxy, strict=False) for proxy in trusted_proxies]

    def provide_client_address(request: Request[Any, Any, Any]) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.getall("x-forwarded-for", []), trusted)

    return Provide(provide_client_address, sync_to_thread=False)
