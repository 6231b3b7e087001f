"""The one way an OutgoingEmail becomes an Internet message: the SMTP mailer sends these bytes and
the outbox-folder mailer writes them, so a file in the outbox is exactly what SMTP would send.

Built with the standard library's `email.mime` classes and the compat32 policy rather than
`EmailMessage`, for speed: `EmailMessage` parses every header it is given and refolds every
header it writes, about 3 ms per message, which alone would cap a mailer well below the 500
messages per second the notifications need. Encoding is still the standard library's (RFC 2047
for non-ASCII names and subjects, quoted-printable for non-ASCII bodies); the recipient's
address is still parsed, to refuse a malformed one. Two shortcuts, each marked below, skip work
the standard library repeats for every message."""

import functools
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email import charset
from email.errors import MessageError
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.policy import Compat32
from email.utils import format_datetime, formataddr, parseaddr

from application.notifications.ports import OutgoingEmail

MAX_LINE_LENGTH = 998  # RFC 5322, 2.1.1; longer lines need an encoding
FOLD_AT = 78  # RFC 5322, 2.1.1: lines SHOULD be no longer
_LINE_BREAK = re.compile(r"[\r\n]")
_DOT_ATOM_TEXT = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")

_UTF8_READABLE = charset.Charset("utf-8")
_UTF8_READABLE.body_encoding = charset.QP  # mostly-Latin text stays legible, unlike base64


class _WirePolicy(Compat32):
    """compat32 with SMTP's line ends. Shortcut: a header that is plain ASCII and already fits
    on one line is written as it is; compat32 would build and fold a Header object for it."""

    def fold_binary(self, name: str, value: str) -> bytes:
        line = f"{name}: {value}"
        plain = isinstance(value, str) and value.isascii() and not _LINE_BREAK.search(value)
        if plain and len(line) <= FOLD_AT:
            return f"{line}\r\n".encode("ascii")
        return super().fold_binary(name, value)


WIRE_POLICY = _WirePolicy(linesep="\r\n")


@dataclass(frozen=True, slots=True)
class RenderedEmail:
    envelope_from: str
    envelope_to: str
    data: bytes  # CRLF line endings, as transmitted in SMTP's DATA


@dataclass(frozen=True, slots=True)
class _Sender:
    header: str
    address: str
    domain: str


@functools.lru_cache(maxsize=8)  # one MAIL_FROM per process, parsed once
def _sender(mail_from: str) -> _Sender:
    name, address = parseaddr(mail_from)
    if "@" not in address:
        raise ValueError(f"{mail_from!r} holds no email address")
    return _Sender(_mailbox(name, address), address, address.rpartition("@")[2])


def sender_address(mail_from: str) -> str:
    """`Campus Residence <residence@example.edu>` -> `residence@example.edu`."""
    return _sender(mail_from).address


def message_id_header(message_id: str, mail_from: str) -> str:
    # The domain of the sender keeps the id globally unique (RFC 5322, 3.6.4) while the
    # notification's own id keeps it the same across retries.
    if not _DOT_ATOM_TEXT.fullmatch(message_id):
        raise ValueError(f"message id {message_id!r} cannot be part of a Message-ID header")
    return f"<{message_id}@{_sender(mail_from).domain}>"


def _single_line(name: str, value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError(f"{name} must not contain a line break: {value!r}")
    return value


def _mailbox(display_name: str | None, address: str) -> str:
    """`"Name, With Comma" <ada@example.edu>`; a non-ASCII name is RFC 2047 encoded."""
    return formataddr((_single_line("display name", display_name or ""), address), "utf-8")


def _recipient(message: OutgoingEmail) -> str:
    try:  # parsing validates: no bare names, no spaces, exactly one @ and a domain
        Address(addr_spec=_single_line("recipient address", message.to))
    except (MessageError, ValueError) as error:  # the email package raises either
        raise ValueError(f"invalid recipient address {message.to!r}: {error}") from error
    return _mailbox(message.to_name, message.to)


def _subject(subject: str) -> Header:
    # Encoded (RFC 2047) only when it must be; folded at flattening like every header.
    return Header(_single_line("subject", subject), "us-ascii" if subject.isascii() else "utf-8")


def _text_part(body: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype)
    if body.isascii() and all(len(line) <= MAX_LINE_LENGTH for line in body.splitlines()):
        part.set_payload(body, "us-ascii")  # 7bit: the body travels as written
    else:
        part.set_payload(body, _UTF8_READABLE)
    return part


def _boundary(*bodies: str) -> str:
    """Shortcut: the standard library compiles a regular expression per message to check that
    its boundary appears in no body; 128 random bits and a substring test do the same job."""
    while True:
        boundary = f"=_{secrets.token_hex(16)}"  # "=_" never occurs in quoted-printable
        if not any(boundary in body for body in bodies):
            return boundary


def _body(message: OutgoingEmail) -> Message:
    text = _text_part(message.text, "plain")
    if message.html is None:
        return text
    html = _text_part(message.html, "html")
    for part in (text, html):
        del part["MIME-Version"]  # belongs to the message, not to its parts
    return MIMEMultipart(
        "alternative",
        boundary=_boundary(message.text, message.html),
        _subparts=[text, html],
        policy=WIRE_POLICY,
    )


def render_email(message: OutgoingEmail, *, mail_from: str, sent_at: datetime) -> RenderedEmail:
    """Raises ValueError for a message that cannot be written (a malformed address, a line
    break in a header); callers report that as the message's delivery error."""
    sender = _sender(mail_from)
    message_id = message_id_header(message.message_id, mail_from)
    to, subject = _recipient(message), _subject(message.subject)
    mime = _body(message)
    content_headers = mime.items()  # moved below the envelope headers, where readers look
    for name, _ in content_headers:
        del mime[name]
    mime["Message-ID"] = message_id
    mime["Date"] = format_datetime(sent_at)
    mime["From"] = sender.header
    mime["To"] = to
    mime["Subject"] = subject  # type: ignore[assignment]  # compat32 takes a Header
    for name, value in content_headers:
        mime[name] = value
    return RenderedEmail(
        envelope_from=sender.address,
        envelope_to=message.to,
        data=mime.as_bytes(policy=WIRE_POLICY),
    )
