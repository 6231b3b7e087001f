"""Defences that apply to every response: the Host check, CORS and security headers."""

from collections.abc import Iterable
from typing import Any

from litestar.config.cors import CORSConfig
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ClientException
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from entrypoints.http.docs_pages import DOCS_POLICY_KEY

# API responses are JSON: they load nothing and belong in no frame.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook, so it also reaches responses no route handled (404, 405)."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    state: dict[str, Any] = scope.get("state", {})  # type: ignore[assignment]
    headers["Content-Security-Policy"] = state.get(DOCS_POLICY_KEY, API_POLICY)
    if scope.get("path", "").startswith("/api/") and "cache-control" not in headers:
        # Tokens and personal data: no browser or proxy cache may keep a copy (RFC 6749 5.1).
        headers["Cache-Control"] = "no-store"


def _hostname(host: str) -> str:
    """The Host header without its port; IPv6 literals keep their brackets ("[::1]")."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.partition(":")[0]


class AllowedHostsMiddleware(ASGIMiddleware):
    """Refuses a Host header that names a host this server does not serve, so no absolute URL
    is ever built from a forged one. Litestar's own middleware compares the header with its
    port, which would refuse `localhost:8000` for an allowed `localhost`, and answers in a
    format of its own rather than a problem document.

    `*` allows any host; `*.example.edu` allows every subdomain of example.edu."""

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    def __init__(self, allowed_hosts: Iterable[str]) -> None:
        hosts = [host.strip().lower() for host in allowed_hosts]
        self._any = "*" in hosts
        self._exact = frozenset(host for host in hosts if not host.startswith("*."))
        self._suffixes = tuple(host[1:] for host in hosts if host.startswith("*."))

    def allows(self, host: str) -> bool:
        name = _hostname(host)
        return self._any or name in self._exact or (bool(name) and name.endswith(self._suffixes))

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        host = MutableScopeHeaders(scope=scope).get("host", "")
        if not self.allows(host):
            raise ClientException("the Host header names a host this server does not serve")
        await next_app(scope, receive, send)


def cors_config(origins: Iterable[str]) -> CORSConfig | None:
    """Cross-origin access only for the configured origins; none by default. Tokens travel in
    the Authorization header, never in cookies, so credentials stay off."""
    allowed = list(origins)
    if not allowed:
        return None
    return CORSConfig(
        allow_origins=allowed,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=["Authorization", "Content-Type"],
        expose_headers=["Retry-After", "WWW-Authenticate"],
        allow_credentials=False,
    )
