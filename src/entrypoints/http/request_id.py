from litestar.datastructures import MutableScopeHeaders
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from adapters.system.correlation import (
    HEADER,
    accept_request_id,
    bind_request_id,
    unbind_request_id,
)


def with_request_id(app: ASGIApp) -> ASGIApp:
    """Gives every request an id: the one a proxy sent in `X-Request-ID` when it is a plain
    token, a new one otherwise. Log lines and the tasks the request starts carry it, and the
    response returns it, so a user's report of a failure leads straight to its log lines.

    It wraps the app's whole handler, outside routing and the exception handlers, so refusals
    and unknown paths get an id too (Litestar middleware runs only on matched routes)."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await app(scope, receive, send)
            return
        request_id = accept_request_id(MutableScopeHeaders(scope=scope).get(HEADER))

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)[HEADER] = request_id
            await send(message)

        token = bind_request_id(request_id)
        try:
            await app(scope, receive, send_with_id)
        finally:
            unbind_request_id(token)

    return handle
