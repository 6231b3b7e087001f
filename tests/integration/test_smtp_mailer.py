"""SmtpMailer against a real aiosmtpd server on a local port: what arrives, over how many
connections, and what each message's outcome says when the server refuses or goes away."""

import asyncio
import ssl
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import pytest

from adapters.smtp.mailer import SmtpMailer, SmtpServer
from application.notifications.ports import OutgoingEmail
from tests.fakes import FixedClock
from tests.integration.smtp_server import (
    LOGIN,
    PASSWORD,
    Certificates,
    RecordingHandler,
    certificates,
    free_port,
    running_server,
)

MAIL_FROM = "Campus Residence <residence@example.edu>"
REFUSED = "nobody@example.edu"


def email(number: int, **changes: str | None) -> OutgoingEmail:
    fields: dict[str, str | None] = {
        "message_id": f"notification-{number}",
        "to": f"resident{number}@example.edu",
        "to_name": f"Resident Number{number}",
        "subject": f"Your room, message {number}",
        "text": f"Hello resident {number}.\nYour key is ready.",
        "html": f"<p>Hello resident <b>{number}</b>.</p>",
        **changes,
    }
    return OutgoingEmail(**fields)  # type: ignore[arg-type]


def mailer(
    port: int,
    *,
    scheme: str = "smtp",
    credentials: str = "",
    tls_context: ssl.SSLContext | None = None,
    timeout_seconds: float = 10,
    clock: FixedClock | None = None,
) -> SmtpMailer:
    return SmtpMailer(
        f"{scheme}://{credentials}127.0.0.1:{port}",
        MAIL_FROM,
        timeout_seconds=timeout_seconds,
        tls_context=tls_context,
        clock=clock,
    )


async def test_a_batch_arrives_over_one_connection_with_every_header() -> None:
    handler = RecordingHandler()
    clock = FixedClock()
    batch = [email(1), email(2, html=None, to_name=None), email(3)]
    with running_server(handler) as (server, port):
        outcomes = await mailer(port, clock=clock).send(batch)

    assert [o.message_id for o in outcomes] == [m.message_id for m in batch]
    assert all(o.delivered for o in outcomes), outcomes
    assert server.connections == 1
    assert [r.rcpt_tos for r in handler.received] == [[m.to] for m in batch]
    assert {r.mail_from for r in handler.received} == {"residence@example.edu"}
    first, plain, _ = (r.parsed() for r in handler.received)
    assert first["Message-ID"] == "<notification-1@example.edu>"
    assert first["From"] == MAIL_FROM
    assert first["To"] == "Resident Number1 <resident1@example.edu>"
    assert first["Subject"] == "Your room, message 1"
    assert parsedate_to_datetime(first["Date"]) == clock.now()
    assert first.get_content_type() == "multipart/alternative"
    assert first.get_body(("plain",)).get_content() == "Hello resident 1.\nYour key is ready."  # type: ignore[union-attr]
    assert first.get_body(("html",)).get_content() == "<p>Hello resident <b>1</b>.</p>"  # type: ignore[union-attr]
    assert plain.get_content_type() == "text/plain"
    assert plain["To"] == "resident2@example.edu"


async def test_the_message_id_is_the_same_when_a_message_is_sent_again() -> None:
    handler = RecordingHandler()
    with running_server(handler) as (_, port):
        smtp = mailer(port)
        await smtp.send([email(7)])
        await smtp.send([email(7)])

    assert [r.parsed()["Message-ID"] for r in handler.received] == [
        "<notification-7@example.edu>",
        "<notification-7@example.edu>",
    ]


async def test_a_refused_recipient_fails_that_message_only() -> None:
    handler = RecordingHandler(refused={REFUSED: "550 5.1.1 <nobody@example.edu>: no such user"})
    batch = [email(1), email(2, to=REFUSED), email(3)]
    with running_server(handler) as (server, port):
        outcomes = await mailer(port).send(batch)

    assert [o.delivered for o in outcomes] == [True, False, True]
    assert outcomes[1].error is not None
    assert "550" in outcomes[1].error
    assert "no such user" in outcomes[1].error
    assert [r.rcpt_tos for r in handler.received] == [[batch[0].to], [batch[2].to]]
    assert server.connections == 1


async def test_a_message_refused_after_its_content_fails_alone() -> None:
    handler = RecordingHandler(refuse_content_with=b"REJECT-ME")
    batch = [email(1), email(2, subject="REJECT-ME"), email(3)]
    with running_server(handler) as (server, port):
        outcomes = await mailer(port).send(batch)

    assert [o.delivered for o in outcomes] == [True, False, True]
    assert outcomes[1].error == "message refused: 554 5.6.0 message content rejected"
    assert len(handler.received) == 2
    assert server.connections == 1


async def test_a_malformed_address_fails_that_message_only() -> None:
    handler = RecordingHandler()
    with running_server(handler) as (_, port):
        outcomes = await mailer(port).send([email(1, to="not-an-address"), email(2)])

    assert outcomes[0].error is not None
    assert "not-an-address" in outcomes[0].error
    assert outcomes[1].delivered
    assert len(handler.received) == 1


async def test_a_connection_dropped_mid_batch_is_opened_again_and_nothing_is_lost() -> None:
    handler = RecordingHandler(drop_on_mail_commands={2})
    batch = [email(1), email(2), email(3)]
    with running_server(handler) as (server, port):
        outcomes = await mailer(port).send(batch)

    assert all(o.delivered for o in outcomes), outcomes
    assert [r.rcpt_tos[0] for r in handler.received] == [m.to for m in batch]
    assert server.connections == 2


async def test_when_the_new_connection_drops_too_the_rest_of_the_batch_fails() -> None:
    handler = RecordingHandler(drop_on_mail_commands={2, 3})
    batch = [email(1), email(2), email(3), email(4)]
    with running_server(handler) as (server, port):
        outcomes = await mailer(port).send(batch)

    assert outcomes[0].delivered
    errors = [o.error for o in outcomes[1:]]
    assert all(error and "connection to SMTP server" in error for error in errors), errors
    assert len(handler.received) == 1
    assert server.connections == 2  # reconnected once, not once per message


async def test_a_server_that_is_down_fails_every_message() -> None:
    port = free_port()  # nothing listens here
    outcomes = await mailer(port).send([email(1), email(2)])

    assert [o.message_id for o in outcomes] == ["notification-1", "notification-2"]
    for outcome in outcomes:
        assert outcome.error is not None
        assert f"could not connect to SMTP server 127.0.0.1:{port}" in outcome.error


async def test_a_server_that_never_answers_times_out_once_for_the_batch() -> None:
    connections: list[asyncio.StreamWriter] = []

    async def silent(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)  # takes the connection and never sends a greeting

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        outcomes = await mailer(port, timeout_seconds=0.5).send([email(1), email(2)])
    finally:
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()

    assert all(o.error and "Timeout" in o.error for o in outcomes), outcomes
    assert len(connections) == 1  # the batch gave up on the server, not each message


async def test_an_empty_batch_opens_no_connection() -> None:
    handler = RecordingHandler()
    with running_server(handler) as (server, port):
        assert await mailer(port).send([]) == []
    assert server.connections == 0


# --- TLS and login -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls() -> Certificates:
    return certificates()


def credentials(login: str = LOGIN, password: str = PASSWORD) -> str:
    return f"{quote(login, safe='')}:{quote(password, safe='')}@"


async def test_starttls_then_login_with_url_encoded_credentials(tls: Certificates) -> None:
    handler = RecordingHandler()
    options = {
        "tls_context": tls.server,
        "require_starttls": True,
        "authenticator": handler.authenticate,
        "auth_require_tls": True,
    }
    with running_server(handler, **options) as (_, port):
        outcomes = await mailer(port, credentials=credentials(), tls_context=tls.client).send(
            [email(1)]
        )

    assert outcomes[0].delivered, outcomes
    assert handler.logins == [(LOGIN, PASSWORD)]
    (received,) = handler.received
    assert received.over_tls
    assert received.login == LOGIN


async def test_starttls_is_used_when_offered_even_without_credentials(tls: Certificates) -> None:
    handler = RecordingHandler()
    with running_server(handler, tls_context=tls.server) as (_, port):
        outcomes = await mailer(port, tls_context=tls.client).send([email(1)])

    assert outcomes[0].delivered, outcomes
    assert handler.received[0].over_tls


async def test_a_wrong_password_fails_every_message_with_the_login_error(tls: Certificates) -> None:
    handler = RecordingHandler()
    options = {"tls_context": tls.server, "authenticator": handler.authenticate}
    with running_server(handler, **options) as (_, port):
        smtp = mailer(port, credentials=credentials(password="wrong"), tls_context=tls.client)
        outcomes = await smtp.send([email(1), email(2)])

    assert all(o.error and "SMTP login refused" in o.error for o in outcomes), outcomes
    assert handler.received == []


async def test_credentials_are_never_sent_to_a_server_without_starttls() -> None:
    handler = RecordingHandler()
    # This server would take a password in clear text; the mailer must not offer it one.
    options = {"authenticator": handler.authenticate, "auth_require_tls": False}
    with running_server(handler, **options) as (_, port):
        outcomes = await mailer(port, credentials=credentials()).send([email(1)])

    assert outcomes[0].error is not None
    assert "STARTTLS" in outcomes[0].error
    assert handler.logins == []
    assert handler.received == []


async def test_an_untrusted_certificate_is_refused(tls: Certificates) -> None:
    handler = RecordingHandler()
    with running_server(handler, tls_context=tls.server) as (_, port):
        outcomes = await mailer(port).send([email(1)])  # the system's trust store only

    assert outcomes[0].error is not None
    assert "CERTIFICATE_VERIFY_FAILED" in outcomes[0].error
    assert handler.received == []


async def test_smtps_speaks_tls_from_the_first_byte(tls: Certificates) -> None:
    handler = RecordingHandler()
    with running_server(handler, ssl_context=tls.server) as (_, port):
        outcomes = await mailer(port, scheme="smtps", tls_context=tls.client).send([email(1)])

    assert outcomes[0].delivered, outcomes
    assert handler.received[0].over_tls


# --- The URL -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.edu", SmtpServer("mail.example.edu", 587, implicit_tls=False)),
        ("smtps://mail.example.edu", SmtpServer("mail.example.edu", 465, implicit_tls=True)),
        ("smtp://relay:2525", SmtpServer("relay", 2525, implicit_tls=False)),
        (
            "smtp://mail%40example.edu:p%40ss%3Aw%2Fd@mail.example.edu:587",
            SmtpServer("mail.example.edu", 587, False, "mail@example.edu", "p@ss:w/d"),
        ),
        (
            "smtp://apikey@mail.example.edu",
            SmtpServer("mail.example.edu", 587, False, "apikey", ""),
        ),
    ],
)
def test_the_url_names_server_port_tls_and_credentials(url: str, expected: SmtpServer) -> None:
    assert SmtpServer.from_url(url) == expected


def test_the_password_stays_out_of_reprs_and_errors() -> None:
    assert "s3cret" not in repr(SmtpServer.from_url("smtp://mailer:s3cret@mail.example.edu"))
    with pytest.raises(ValueError, match="SMTP URL") as raised:
        SmtpServer.from_url("http://mailer:s3cret@mail.example.edu")
    assert "s3cret" not in str(raised.value)
