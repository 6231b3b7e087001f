"""SMS through an HTTP gateway: one POST per message, `{"to", "text", "reference"}` as JSON or
as a form, authenticated with a bearer token. The reference is the notification's id, so a
gateway that deduplicates can recognise a retried message."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Literal

import httpx

from application.notifications.ports import DeliveryOutcome, OutgoingSms

BodyFormat = Literal["json", "form"]

DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_MAX_ATTEMPTS = 4
DEFAULT_FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
MAX_REASON_LENGTH = 200
TOO_MANY_REQUESTS = 429

# Worth another attempt: the gateway may answer next time. A refused URL scheme or a request
# httpx itself cannot build would fail the same way again.
RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_REASON_LENGTH else f"{line[: MAX_REASON_LENGTH - 3]}..."


def _describe(response: httpx.Response) -> str:
    status = f"HTTP {response.status_code} {response.reason_phrase}".rstrip()
    body = _short(response.text)
    return f"{status}: {body}" if body else status


def _retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else None  # the HTTP-date form is rare; ignored


def _worth_retrying(status_code: int) -> bool:
    return status_code >= 500 or status_code == TOO_MANY_REQUESTS


class HttpSmsGateway:
    """Retries 5xx, 429, timeouts and network errors with exponential backoff (0.5 s, 1 s,
    2 s, ... or the gateway's Retry-After when longer, never above 30 s), up to `max_attempts`
    in all; any other answer outside 2xx is final. The outcome's error names the HTTP status and
    the start of the gateway's answer, or the network error."""

    def __init__(
        self,
        url: str,
        token: str | None,
        *,
        body_format: BodyFormat = "json",
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_attempts: int = DEFAULT_MAX_ATTEMPTS,
        first_backoff_seconds: float = DEFAULT_FIRST_BACKOFF_SECONDS,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if body_format not in ("json", "form"):
            raise ValueError(f"body_format must be json or form, not {body_format!r}")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._body_format = body_format
        self._timeout = timeout_seconds
        self._max_attempts = max_attempts
        self._first_backoff = first_backoff_seconds
        self._transport = transport
        self._sleep = sleep

    async def send(self, message: OutgoingSms) -> DeliveryOutcome:
        body = {"to": message.to, "text": message.text, "reference": message.message_id}
        failure = ""
        # A client per message: nothing to close at shutdown, and no pooled connection outlives
        # the event loop it was opened on. Attempts for one message share its connection.
        async with httpx.AsyncClient(
            headers=self._headers, timeout=self._timeout, transport=self._transport
        ) as client:
            for attempt in range(1, self._max_attempts + 1):
                retry_after: float | None = None
                try:
                    response = await self._post(client, body)
                except RETRYABLE_ERRORS as error:
                    failure = f"{type(error).__name__}: {error}".rstrip(": ")
                except httpx.HTTPError as error:
                    return self._failed(message, f"{type(error).__name__}: {error}")
                else:
                    if response.is_success:
                        return DeliveryOutcome(message_id=message.message_id)
                    failure = _describe(response)
                    if not _worth_retrying(response.status_code):
                        return self._failed(message, failure)
                    retry_after = _retry_after_seconds(response)
                if attempt < self._max_attempts:
                    await self._sleep(self._backoff(attempt, retry_after))
        return self._failed(message, f"{failure} (gave up after {self._max_attempts} attempts)")

    async def _post(self, client: httpx.AsyncClient, body: dict[str, str]) -> httpx.Response:
        if self._body_format == "json":
            return await client.post(self._url, json=body)
        return await client.post(self._url, data=body)

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        exponential = self._first_backoff * 2.0 ** (attempt - 1)
        return min(MAX_BACKOFF_SECONDS, max(exponential, retry_after or 0.0))

    @staticmethod
    def _failed(message: OutgoingSms, error: str) -> DeliveryOutcome:
        return DeliveryOutcome(message_id=message.message_id, error=_short(error))
