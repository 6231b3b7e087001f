"""HttpSmsGateway: the retry rules through httpx's mock transport, where every answer and
network failure can be scripted; then real round trips to a local HTTP server for the bodies,
the token and a real timeout."""

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest

from adapters.http.sms_gateway import HttpSmsGateway
from application.notifications.ports import OutgoingSms

URL = "https://sms.example.edu/v1/messages"
TOKEN = "gateway-token-123"
SMS = OutgoingSms(message_id="notification-9", to="+15551234567", text="Your key is ready.")

Answer = httpx.Response | Exception


@dataclass
class ScriptedGateway:
    """Answers requests from a script, one entry per attempt, and records what it was sent."""

    answers: list[Answer]
    requests: list[httpx.Request] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async def sleep(self, seconds: float) -> None:
        self.delays.append(seconds)

    def gateway(self, **options: object) -> HttpSmsGateway:
        return HttpSmsGateway(
            URL,
            TOKEN,
            transport=httpx.MockTransport(self.handle),
            sleep=self.sleep,
            **options,  # type: ignore[arg-type]
        )


def status(code: int, body: str = "", headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(code, text=body, headers=headers)


async def test_a_json_body_with_the_bearer_token() -> None:
    script = ScriptedGateway([status(202, '{"id": "gw-1"}')])

    outcome = await script.gateway().send(SMS)

    assert outcome.delivered
    assert outcome.message_id == "notification-9"
    (request,) = script.requests
    assert request.method == "POST"
    assert str(request.url) == URL
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert json.loads(request.content) == {
        "to": "+15551234567",
        "text": "Your key is ready.",
        "reference": "notification-9",
    }


async def test_a_form_body_when_the_gateway_wants_one() -> None:
    script = ScriptedGateway([status(200)])

    assert (await script.gateway(body_format="form").send(SMS)).delivered

    (request,) = script.requests
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {
        "to": ["+15551234567"],
        "text": ["Your key is ready."],
        "reference": ["notification-9"],
    }


async def test_a_server_error_is_retried_until_the_gateway_takes_the_message() -> None:
    script = ScriptedGateway([status(500, "oops"), status(502), status(200)])

    outcome = await script.gateway().send(SMS)

    assert outcome.delivered
    assert len(script.requests) == 3
    assert script.delays == [0.5, 1.0]  # exponential backoff


async def test_timeouts_and_network_errors_are_retried() -> None:
    request = httpx.Request("POST", URL)
    script = ScriptedGateway(
        [
            httpx.ConnectError("connection refused", request=request),
            httpx.ReadTimeout("timed out", request=request),
            status(201),
        ]
    )

    assert (await script.gateway().send(SMS)).delivered
    assert len(script.requests) == 3


async def test_too_many_requests_waits_as_long_as_the_gateway_asks() -> None:
    script = ScriptedGateway([status(429, headers={"Retry-After": "7"}), status(200)])

    assert (await script.gateway().send(SMS)).delivered
    assert script.delays == [7.0]


async def test_a_client_error_is_final_and_says_why() -> None:
    script = ScriptedGateway([status(400, '{"error": "invalid destination number"}')])

    outcome = await script.gateway().send(SMS)

    assert len(script.requests) == 1
    assert script.delays == []
    assert outcome.error is not None
    assert outcome.error.startswith("HTTP 400 Bad Request: ")
    assert "invalid destination number" in outcome.error


async def test_giving_up_after_the_last_attempt_reports_the_last_failure() -> None:
    script = ScriptedGateway([status(503, "maintenance " * 100)] * 3)

    outcome = await script.gateway(max_attempts=3).send(SMS)

    assert len(script.requests) == 3
    assert script.delays == [0.5, 1.0]  # no wait after the last attempt
    assert outcome.error is not None
    assert outcome.error.startswith("HTTP 503 Service Unavailable: maintenance")
    assert len(outcome.error) <= 200


async def test_backoff_never_waits_longer_than_thirty_seconds() -> None:
    script = ScriptedGateway([status(429, headers={"Retry-After": "3600"})] * 8)

    await script.gateway(max_attempts=8).send(SMS)

    assert script.delays == [30.0] * 7


async def test_without_a_token_no_authorization_header_is_sent() -> None:
    requests: list[httpx.Request] = []

    def accept(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return status(200)

    gateway = HttpSmsGateway(URL, None, transport=httpx.MockTransport(accept))
    assert (await gateway.send(SMS)).delivered
    assert "Authorization" not in requests[0].headers


# --- A real HTTP server on a local port ----------------------------------------------------------


@dataclass
class LocalGateway:
    url: str
    received: list[tuple[dict[str, str], bytes]]
    release: threading.Event  # a request to /slow waits for this


@pytest.fixture
def local_gateway() -> Iterator[LocalGateway]:
    received: list[tuple[dict[str, str], bytes]] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/slow":
                release.wait(timeout=10)  # longer than the client's timeout
            received.append((dict(self.headers), body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_: object) -> None:
            """Quiet: the test reads what it needs from `received`."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield LocalGateway(f"http://127.0.0.1:{server.server_address[1]}", received, release)
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize(
    ("body_format", "decode"),
    [
        ("json", json.loads),
        ("form", lambda body: {k: v[0] for k, v in parse_qs(body.decode()).items()}),
    ],
)
async def test_a_round_trip_to_a_real_server(
    local_gateway: LocalGateway, body_format: str, decode: Callable[[bytes], dict[str, str]]
) -> None:
    gateway = HttpSmsGateway(f"{local_gateway.url}/send", TOKEN, body_format=body_format)  # type: ignore[arg-type]

    outcome = await gateway.send(SMS)

    assert outcome.delivered, outcome
    ((headers, body),) = local_gateway.received
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert decode(body) == {
        "to": "+15551234567",
        "text": "Your key is ready.",
        "reference": "notification-9",
    }


async def test_a_gateway_slower_than_the_timeout_fails_after_its_attempts(
    local_gateway: LocalGateway,
) -> None:
    delays: list[float] = []

    async def no_wait(seconds: float) -> None:
        delays.append(seconds)

    gateway = HttpSmsGateway(
        f"{local_gateway.url}/slow", TOKEN, timeout_seconds=0.2, max_attempts=2, sleep=no_wait
    )

    outcome = await gateway.send(SMS)

    assert outcome.error is not None
    assert outcome.error.startswith("ReadTimeout")
    assert "after 2 attempts" in outcome.error
    assert delays == [0.5]


async def test_a_gateway_that_is_down_fails_without_raising() -> None:
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        url = f"http://127.0.0.1:{closed.server_address[1]}/send"
    # The server is closed: nothing listens on its port any more.

    async def no_wait(_: float) -> None:
        return None

    outcome = await HttpSmsGateway(url, TOKEN, max_attempts=2, sleep=no_wait).send(SMS)

    assert outcome.error is not None
    assert outcome.error.startswith("ConnectError")
