"""A real SMTP server for the mail tests: aiosmtpd in its own thread, on a free local port,
recording every message it accepts and every connection it is asked to open. It can refuse
recipients, drop connections and require STARTTLS and login, so each failure the mailer must
survive is produced by a real server over a real socket."""

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

LOGIN = "mail@residence"
PASSWORD = "p@ss:word/1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    over_tls: bool
    login: str | None

    def parsed(self) -> EmailMessage:
        # As a mail store would keep it: line ends are the platform's, not the wire's CRLF.
        message = message_from_bytes(self.content.replace(b"\r\n", b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        return message


def _over_tls(server: SMTP, session: Session) -> bool:
    # session.ssl is set by STARTTLS; an implicit TLS connection shows on the transport.
    transport = server.transport
    return session.ssl is not None or (
        transport is not None and transport.get_extra_info("ssl_object") is not None
    )


@dataclass
class RecordingHandler:
    refused: dict[str, str] = field(default_factory=dict)  # address -> SMTP reply
    drop_on_mail_commands: set[int] = field(default_factory=set)  # 1-based, across connections
    refuse_content_with: bytes | None = None  # DATA holding these bytes gets a 554
    received: list[Received] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)
    mail_commands: int = 0

    async def handle_MAIL(  # noqa: N802 - aiosmtpd's hook names
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.mail_commands += 1
        if self.mail_commands in self.drop_on_mail_commands:
            assert server.transport is not None
            server.transport.close()  # the connection vanishes, as when a server restarts
            return "421 4.3.2 closing"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address in self.refused:
            return self.refused[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        assert isinstance(envelope.content, bytes)
        if self.refuse_content_with and self.refuse_content_with in envelope.content:
            return "554 5.6.0 message content rejected"
        self.received.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.content,
                over_tls=_over_tls(server, session),
                login=session.auth_data if session.authenticated else None,
            )
        )
        return "250 Message accepted for delivery"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        login, password = data.login.decode(), data.password.decode()
        self.logins.append((login, password))
        accepted = (login, password) == (LOGIN, PASSWORD)
        # handled=False: aiosmtpd then answers a refusal with 535 itself.
        return AuthResult(success=accepted, handled=False, auth_data=login if accepted else None)


class CountingController(Controller):
    """Counts the connections the server accepts: factory() runs once per connection."""

    connections = 0

    def factory(self) -> SMTP:
        self.connections += 1
        return super().factory()  # type: ignore[no-any-return]


@dataclass
class Certificates:
    server: ssl.SSLContext
    client: ssl.SSLContext  # trusts the test's own certificate authority


def certificates() -> Certificates:
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1", "localhost")
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    issued.configure_cert(server)
    client = ssl.create_default_context()
    authority.configure_trust(client)
    return Certificates(server=server, client=client)


@contextmanager
def running_server(
    handler: RecordingHandler, **options: Any
) -> Iterator[tuple[CountingController, int]]:
    """Options go to aiosmtpd: `tls_context` with `require_starttls` for STARTTLS,
    `ssl_context` for implicit TLS, `authenticator` for login."""
    port = free_port()
    controller = CountingController(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()  # returns once the server answers
    controller.connections = 0  # start() opened one connection to check the server is up
    try:
        yield controller, port
    finally:
        controller.stop()
