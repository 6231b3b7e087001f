"""How a WebSocket is refused: accepted, then closed at once with 1008 (policy violation).

Refusing the handshake itself would answer HTTP 403, which a browser hides from scripts behind
a bare 1006; accepted first, the client reads 1008 and the reason. This covers every refusal
the way the problem-details table covers HTTP: no token, a bad or revoked one (authentication
middleware), a role the route does not admit (the guard), a session that ended while the
socket was open (the handler)."""

from typing import Any

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from domain.shared.errors import Forbidden, Unauthenticated
from entrypoints.http.authentication import BEARER_SUBPROTOCOL

POLICY_VIOLATION = 1008
# RFC 6455 5.5: a close frame carries at most 125 bytes, two of them the code.
MAX_REASON_BYTES = 123


def accepted_subprotocol(scope: Scope) -> str | None:
    """`bearer` when the client offered its token that way: a browser fails a connection whose
    answer names no subprotocol after it offered some."""
    offered: list[str] = scope.get("subprotocols", [])  # type: ignore[assignment]
    return BEARER_SUBPROTOCOL if BEARER_SUBPROTOCOL in offered else None


def close_reason(message: str) -> str:
    return message.encode()[:MAX_REASON_BYTES].decode(errors="ignore")


class WebSocketRefusalMiddleware(ASGIMiddleware):
    """Turns every refusal of a WebSocket into accept-then-close: a refusal raised before the
    route (authentication) is closed here with 1008; one the route closed before accepting
    (the guard raises WebSocketException with 1008) gets its accept sent first."""

    scopes = (ScopeType.WEBSOCKET,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        seen: set[str] = set()

        async def tracked_receive() -> Any:
            message = await receive()
            seen.add(message["type"])
            return message

        async def tracked_send(message: Message) -> None:
            if message["type"] == "websocket.close" and "websocket.accept" not in seen:
                await accept()
            seen.add(message["type"])
            await send(message)

        async def accept() -> None:
            if "websocket.connect" not in seen:
                await tracked_receive()  # ASGI: the handshake request comes before its answer
            await send({"type": "websocket.accept", "subprotocol": accepted_subprotocol(scope)})
            seen.add("websocket.accept")

        try:
            await next_app(scope, tracked_receive, tracked_send)
        except (Unauthenticated, Forbidden) as refusal:
            if not {"websocket.close", "websocket.disconnect"} & seen:
                await tracked_send(policy_violation(refusal.message))


def policy_violation(reason: str) -> Message:
    return {"type": "websocket.close", "code": POLICY_VIOLATION, "reason": close_reason(reason)}
