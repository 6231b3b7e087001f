"""Mail over SMTP with aiosmtplib: one connection per batch, one outcome per message.

`smtp://user:password@host:587` upgrades with STARTTLS when the server offers it; with
credentials STARTTLS is required, so a password never crosses the network in clear (a server or
a man in the middle that hides STARTTLS fails the batch rather than receiving it).
`smtps://host:465` speaks TLS from the first byte. Credentials are URL-decoded."""

import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import aiosmtplib

from adapters.mime.message import RenderedEmail, render_email
from adapters.system.clock import SystemClock
from application.notifications.ports import DeliveryOutcome, OutgoingEmail
from application.shared.ports import Clock

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_PORTS = {"smtp": 587, "smtps": 465}
MAX_ERROR_LENGTH = 300
SERVICE_CLOSING = 421  # the server is about to drop the connection (RFC 5321, 3.8)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    hostname: str
    port: int
    implicit_tls: bool
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # kept out of logs and tracebacks

    @classmethod
    def from_url(cls, url: str) -> "SmtpServer":
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            # The URL is not echoed: it may hold a password.
            raise ValueError("the SMTP URL is not like smtp://user:password@host:587")
        username = unquote(parts.username) if parts.username else None
        return cls(
            hostname=parts.hostname,
            port=parts.port or DEFAULT_PORTS[parts.scheme],
            implicit_tls=parts.scheme == "smtps",
            username=username,
            password=unquote(parts.password or "") if username else None,
        )


class _ConnectionFailed(Exception):
    """The connection is unusable: connecting failed, or it dropped while sending."""


def _short(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= MAX_ERROR_LENGTH else f"{line[: MAX_ERROR_LENGTH - 3]}..."


class SmtpMailer:
    """A connection that drops in the middle of a batch is opened again once and the message
    in flight is sent again (a server that dropped after taking the message may then hold it
    twice; it carries the same Message-ID). If that fails too, every remaining message gets
    the connection's error. A refused recipient or message fails that message only."""

    def __init__(
        self,
        smtp_url: str,
        mail_from: str,
        *,
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        clock: Clock | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self._server = SmtpServer.from_url(smtp_url)
        self._mail_from = mail_from
        self._timeout = timeout_seconds
        self._clock = clock or SystemClock()
        self._tls_context = tls_context

    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        outcomes: list[DeliveryOutcome] = []
        connection = _BatchConnection(self._connect)
        try:
            for position, message in enumerate(messages):
                try:
                    outcomes.append(await self._send_one(connection, message))
                except _ConnectionFailed as failure:
                    outcomes.extend(_failed(rest, str(failure)) for rest in messages[position:])
                    break
        finally:
            await connection.close()
        return outcomes

    async def _send_one(
        self, connection: "_BatchConnection", message: OutgoingEmail
    ) -> DeliveryOutcome:
        try:
            rendered = render_email(message, mail_from=self._mail_from, sent_at=self._clock.now())
        except ValueError as error:
            return _failed(message, str(error))
        refusal = await connection.run(lambda client: self._deliver(client, rendered))
        return DeliveryOutcome(message_id=message.message_id, error=refusal)

    async def _connect(self) -> aiosmtplib.SMTP:
        server = self._server
        client = aiosmtplib.SMTP(
            hostname=server.hostname,
            port=server.port,
            username=server.username,
            password=server.password,
            timeout=self._timeout,
            use_tls=server.implicit_tls,
            # None: STARTTLS when offered (never on smtps, which is already TLS); True:
            # required, because credentials follow.
            start_tls=True if server.username and not server.implicit_tls else None,
            tls_context=self._tls_context,
        )
        try:
            await client.connect()
        except aiosmtplib.SMTPAuthenticationError as error:
            _drop(client)
            raise _ConnectionFailed(
                _short(f"SMTP login refused by {self._where()}: {error.code} {error.message}")
            ) from error
        except (aiosmtplib.SMTPException, OSError) as error:  # OSError covers TLS and timeouts
            _drop(client)
            raise _ConnectionFailed(
                _short(f"could not connect to SMTP server {self._where()}: {_describe(error)}")
            ) from error
        return client

    def _where(self) -> str:
        return f"{self._server.hostname}:{self._server.port}"

    async def _deliver(self, client: aiosmtplib.SMTP, rendered: RenderedEmail) -> str | None:
        """None when the server took the message; its reason when it refused this message.
        Raises _ConnectionFailed when the connection itself failed."""
        try:
            await client.sendmail(rendered.envelope_from, [rendered.envelope_to], rendered.data)
        except aiosmtplib.SMTPRecipientsRefused as error:
            refused = error.recipients[0]
            if refused.code == SERVICE_CLOSING:
                raise _ConnectionFailed(
                    _short(f"SMTP server closing: {refused.message}")
                ) from error
            return _short(f"recipient refused: {refused.code} {refused.message}")
        except aiosmtplib.SMTPResponseException as error:
            if error.code == SERVICE_CLOSING:
                raise _ConnectionFailed(_short(f"SMTP server closing: {error.message}")) from error
            return _short(f"message refused: {error.code} {error.message}")
        except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, OSError) as error:
            raise _ConnectionFailed(
                _short(f"connection to SMTP server {self._where()} failed: {_describe(error)}")
            ) from error
        except (aiosmtplib.SMTPException, ValueError) as error:  # e.g. SMTPUTF8 not offered
            return _short(f"message not sent: {_describe(error)}")
        return None


class _BatchConnection:
    """The connection a batch shares, opened on first use and opened again once if it drops."""

    def __init__(self, connect: Callable[[], Awaitable[aiosmtplib.SMTP]]) -> None:
        self._connect = connect
        self._client: aiosmtplib.SMTP | None = None
        self._may_reconnect = True

    async def run(self, step: Callable[[aiosmtplib.SMTP], Awaitable[str | None]]) -> str | None:
        while True:
            connected_before = self._client is not None
            try:
                if self._client is None:
                    self._client = await self._connect()
                return await step(self._client)
            except _ConnectionFailed:
                _drop(self._client)
                self._client = None
                if not (connected_before and self._may_reconnect):
                    raise
                self._may_reconnect = False

    async def close(self) -> None:
        """Says goodbye politely; the messages are already sent, so a failure here changes
        nothing."""
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            _drop(client)


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def _failed(message: OutgoingEmail, error: str) -> DeliveryOutcome:
    return DeliveryOutcome(message_id=message.message_id, error=error)


def _drop(client: aiosmtplib.SMTP | None) -> None:
    if client is not None and client.is_connected:
        client.close()
