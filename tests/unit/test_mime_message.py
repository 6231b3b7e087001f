"""render_email, the one MIME renderer of both mailers: what it writes parses back to what it
was given, whatever the characters, and what it cannot write safely it refuses."""

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.mime.message import MAX_LINE_LENGTH, render_email
from application.notifications.ports import OutgoingEmail

MAIL_FROM = "Résidence du Campus <residence@example.edu>"
SENT_AT = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)

# Header text: any printable characters, single spaces (folding may rewrite runs of spaces).
header_text = st.lists(
    st.text(st.characters(categories=("L", "N", "P", "S")), min_size=1, max_size=30),
    min_size=1,
    max_size=8,
).map(" ".join)
body_text = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), include_characters="\n"),
    max_size=2_500,
)


def email(**changes: str | None) -> OutgoingEmail:
    fields: dict[str, str | None] = {
        "message_id": "0b9d3c1e-5f7a-4a43-9d1b-2f6c8e0a4b55",
        "to": "ada@example.edu",
        "to_name": "Ada Lovelace",
        "subject": "Your room is ready",
        "text": "Hello Ada.",
        "html": "<p>Hello Ada.</p>",
        **changes,
    }
    return OutgoingEmail(**fields)  # type: ignore[arg-type]


def parsed(message: OutgoingEmail) -> EmailMessage:
    data = render_email(message, mail_from=MAIL_FROM, sent_at=SENT_AT).data
    assert all(len(line) <= MAX_LINE_LENGTH for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")  # CRLF only, as SMTP requires
    result = message_from_bytes(data.replace(b"\r\n", b"\n"), policy=policy.default)
    assert isinstance(result, EmailMessage)
    return result


@settings(max_examples=150, deadline=None)
@given(subject=header_text, name=header_text, text=body_text, html=body_text)
def test_everything_written_parses_back_unchanged(
    subject: str, name: str, text: str, html: str
) -> None:
    message = parsed(email(subject=subject, to_name=name, text=text, html=html))

    assert message["Subject"] == subject
    assert message["To"].addresses[0].display_name == name
    assert message["To"].addresses[0].addr_spec == "ada@example.edu"
    assert message.get_body(("plain",)).get_content() == text  # type: ignore[union-attr]
    assert message.get_body(("html",)).get_content() == html  # type: ignore[union-attr]


def test_the_envelope_headers_come_first_and_name_the_sender() -> None:
    message = parsed(email())

    assert message.keys()[:5] == ["Message-ID", "Date", "From", "To", "Subject"]
    assert message["Message-ID"] == "<0b9d3c1e-5f7a-4a43-9d1b-2f6c8e0a4b55@example.edu>"
    assert message["Date"].datetime == SENT_AT
    assert message["From"] == MAIL_FROM
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get("MIME-Version") for part in message.iter_parts()] == [None, None]


def test_a_text_only_message_is_a_single_plain_part() -> None:
    message = parsed(email(html=None))

    assert message.get_content_type() == "text/plain"
    assert message["Content-Transfer-Encoding"] == "7bit"
    assert message.get_content() == "Hello Ada."


def test_non_ascii_and_very_long_lines_are_quoted_printable() -> None:
    message = parsed(email(text="Grüße", html="x" * 5_000))

    plain, html = message.iter_parts()
    assert plain["Content-Transfer-Encoding"] == "quoted-printable"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert html.get_content() == "x" * 5_000


def test_the_boundary_never_appears_in_a_body() -> None:
    data = render_email(email(), mail_from=MAIL_FROM, sent_at=SENT_AT).data
    boundary = message_from_bytes(data).get_boundary()

    assert boundary is not None
    assert data.count(f"--{boundary}".encode()) == 3  # two parts and the closing line


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"subject": "Hello\r\nBcc: everyone@example.edu"}, "subject must not contain a line"),
        ({"to_name": "Ada\nBcc: x@example.edu"}, "display name must not contain a line"),
        ({"to": "ada@example.edu\nBcc: x@example.edu"}, "invalid recipient address"),
        ({"to": "Ada Lovelace"}, "invalid recipient address"),
        ({"to": "ada lovelace@example.edu"}, "invalid recipient address"),
        ({"to": "<ada@example.edu>"}, "invalid recipient address"),
        ({"message_id": "two words"}, "cannot be part of a Message-ID"),
        ({"message_id": "id>\r\nBcc: x@example.edu"}, "cannot be part of a Message-ID"),
    ],
)
def test_what_cannot_be_written_safely_is_refused(changes: dict[str, str], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        render_email(email(**changes), mail_from=MAIL_FROM, sent_at=SENT_AT)


def test_a_sender_without_an_address_is_refused() -> None:
    with pytest.raises(ValueError, match="holds no email address"):
        render_email(email(), mail_from="Campus Residence", sent_at=SENT_AT)
