"""Every route of the app, found by walking the app itself, refuses a caller without a valid
token; only the routes on the public list below answer anyone. A new route is covered the day
it is added, and one added as public fails here until it joins the list. WebSocket routes are
refused by closing the socket with 1008, whichever way the token was offered."""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute, WebSocketRoute
from litestar.testing import AsyncTestClient

from adapters.security.jwt_codec import JwtTokenCodec
from application.accounts.model import AccessClaims
from domain.accounts.model import Role
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings
from tests.fakes import FixedClock
from tests.unit.accounts_api import Caller, Client
from tests.unit.socket_api import POLICY_VIOLATION, Via, open_socket, refusal

PUBLIC_OPERATIONS = {
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("GET", "/health/live"),
    ("GET", "/health/ready"),
    # The sandbox gateway's checkout page: its unguessable checkout id is the credential.
    ("GET", "/payments/sandbox/{checkout_id}"),
    ("POST", "/payments/sandbox/{checkout_id}"),
}
# No token either, but a signature over the body: without one they answer 401.
SIGNED_OPERATIONS = {("POST", "/api/payments/webhook")}
# The API's documentation: the schema and the pages that render it.
PUBLIC_PREFIX = "/schema"


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    url: str

    @property
    def public(self) -> bool:
        return (
            (self.method, self.template) in PUBLIC_OPERATIONS | SIGNED_OPERATIONS
        ) or self.template.startswith(PUBLIC_PREFIX)


def _sample(parameter_type: type) -> str:
    samples = {UUID: str(uuid4()), str: "anything", int: "1"}
    assert parameter_type in samples, f"add a sample value for path parameters of {parameter_type}"
    return samples[parameter_type]


def operations(app: Litestar) -> list[Operation]:
    """Every method of every HTTP route, with its path parameters filled in. OPTIONS is left
    out: Litestar answers it for every path with the allowed methods (CORS preflights), which
    is what lets a browser ask before it sends a token."""
    found = []
    for route in app.routes:
        if isinstance(route, WebSocketRoute):
            continue
        assert isinstance(route, HTTPRoute), f"{route.path}: only HTTP and WebSocket routes"
        url = route.path_format
        for parameter in route.path_parameters.values():
            url = url.replace(f"{{{parameter.name}}}", _sample(parameter.type))
        found += [
            Operation(method, route.path_format, url)
            for method in sorted(route.methods - {"OPTIONS"})
        ]
    return found


def websocket_paths(app: Litestar) -> list[str]:
    return [route.path for route in app.routes if isinstance(route, WebSocketRoute)]


def token_signed_elsewhere(clock: FixedClock) -> str:
    """A well-formed, unexpired token for a real-looking user, signed with another key."""
    codec = JwtTokenCodec("another-secret-key-of-a-good-length-0123", "x", "y", clock)
    claims = AccessClaims(
        user_id=uuid4(),
        role=Role.ADMIN,
        resident_id=None,
        token_id="forged",
        issued_at=clock.now(),
        expires_at=clock.now() + timedelta(minutes=5),
    )
    return codec.encode(claims)


def test_the_walk_finds_the_whole_api(app: Litestar) -> None:
    templates = {operation.template for operation in operations(app)}

    assert {"/api/rooms/{room_id}/beds/{bed_id}", "/api/users", "/api/audit"} <= templates
    assert len(operations(app)) > 30


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer", "signed elsewhere"],
)
async def test_every_route_off_the_public_list_refuses_without_a_valid_token(
    app: Litestar, http: Client, clock: FixedClock, authorization: str | None
) -> None:
    if authorization == "signed elsewhere":
        authorization = f"Bearer {token_signed_elsewhere(clock)}"
    headers = {} if authorization is None else {"Authorization": authorization}
    answers = {}
    for operation in operations(app):
        if operation.public:
            continue
        response = await http.request(operation.method, operation.url, headers=headers, auth=None)
        answers[f"{operation.method} {operation.template}"] = (
            response.status_code,
            response.headers.get("www-authenticate"),
            response.headers.get("content-type", "").split(";")[0],
        )

    refused = (401, "Bearer", "application/problem+json")
    assert {name: answer for name, answer in answers.items() if answer != refused} == {}
    assert len(answers) > 30


def test_the_walk_finds_the_event_stream(app: Litestar) -> None:
    assert websocket_paths(app) == ["/ws"]


@pytest.mark.parametrize("via", ["subprotocol", "query", "header"])
@pytest.mark.parametrize("token", [None, "", "not-a-token", "signed elsewhere"])
async def test_every_websocket_route_closes_with_1008_without_a_valid_token(
    app: Litestar, http: Client, clock: FixedClock, via: Via, token: str | None
) -> None:
    if token == "signed elsewhere":
        token = token_signed_elsewhere(clock)
    endings = {}
    for path in websocket_paths(app):
        endings[path] = refusal(await open_socket(http, token, via, path))

    # Accepted first: a browser sees the 1008 only on a connection that was opened.
    assert {path: (e.accepted, e.code) for path, e in endings.items()} == {
        path: (True, POLICY_VIOLATION) for path in websocket_paths(app)
    }
    assert {e.reason for e in endings.values()} <= {
        "a bearer token is required",
        "the access token is invalid or has expired",
    }


async def test_public_routes_answer_without_a_token(app: Litestar, anonymous: Caller) -> None:
    answers = {}
    for operation in operations(app):
        if operation.public:
            response = await anonymous.request(operation.method, operation.url)
            answers[f"{operation.method} {operation.template}"] = response.status_code

    signed = {f"{method} {path}" for method, path in SIGNED_OPERATIONS}
    assert {name for name, status in answers.items() if status == 401} == signed
    assert {f"{method} {path}" for method, path in PUBLIC_OPERATIONS} <= set(answers)
    assert answers["GET /schema/openapi.json"] == 200


async def test_the_app_refuses_to_start_without_a_signing_key(tmp_path: Path) -> None:
    settings = load_settings({"VAR_DIR": str(tmp_path)}, dotenv=None)
    app = create_app(Container(settings=settings))

    # The test client runs the lifespan in a task group, which wraps what it raises.
    with pytest.RaisesGroup(pytest.RaisesExc(ValueError, match="SECRET_KEY is not set")):
        async with AsyncTestClient(app=app):
            pass
