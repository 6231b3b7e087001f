"""Speaking to GET /ws through the shared test client.

The test client runs the app on an event loop in a thread of its own (its portal), so the
session's calls block until the app answers, each with a deadline. Anything that publishes into
the app's in-process event bus must run on that loop too: `on_app_loop`."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from litestar.exceptions import WebSocketDisconnect
from litestar.testing import WebSocketTestSession

from tests.unit.accounts_api import Client, Json

# Generous for a loaded machine; a passing test never waits for it.
RECEIVE_TIMEOUT_SECONDS = 10.0
POLICY_VIOLATION = 1008

Via = Literal["subprotocol", "query", "header"]
T = TypeVar("T")


async def open_socket(
    http: Client, token: str | None, via: Via = "subprotocol", path: str = "/ws"
) -> WebSocketTestSession:
    """A session not yet entered: `with session:` connects."""
    options: dict[str, Any] = {}
    if token is not None and via == "subprotocol":
        options["subprotocols"] = ["bearer", token]
    elif token is not None and via == "query":
        options["params"] = {"token": token}
    elif token is not None:
        options["headers"] = {"Authorization": f"Bearer {token}"}
    return await http.websocket_connect(path, auth=None, **options)


def receive(session: WebSocketTestSession) -> Json:
    message: Json = session.receive_json(timeout=RECEIVE_TIMEOUT_SECONDS)
    return message


def ask(session: WebSocketTestSession, message: Json) -> Json:
    session.send_json(message)
    return receive(session)


def on_app_loop(http: Client, call: Callable[..., Awaitable[T]], *args: Any) -> T:
    return http.blocking_portal.call(call, *args)


@dataclass(frozen=True)
class Refusal:
    accepted: bool
    code: int
    reason: str


def refusal(session: WebSocketTestSession) -> Refusal:
    """How the server ended a connection it would not serve."""
    accepted = False
    try:
        with session:
            accepted = True
            message = session.receive(timeout=RECEIVE_TIMEOUT_SECONDS)
    except WebSocketDisconnect as closed:
        return Refusal(accepted, closed.code, closed.detail)
    raise AssertionError(f"the socket stayed open and sent {message}")
