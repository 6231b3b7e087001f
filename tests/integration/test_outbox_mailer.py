"""OutboxFolderMailer on a real folder: one `.eml` file per message, whole or absent, named to
sort by time and never collide, holding the same message SMTP would send."""

import asyncio
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from adapters.files.outbox_mailer import OutboxFolderMailer, write_atomically
from adapters.smtp.mailer import SmtpMailer
from application.notifications.ports import OutgoingEmail
from tests.fakes import FixedClock
from tests.integration.smtp_server import RecordingHandler, running_server

MAIL_FROM = "Campus Residence <residence@example.edu>"


def email(number: int, **changes: str | None) -> OutgoingEmail:
    fields: dict[str, str | None] = {
        "message_id": f"notification-{number}",
        "to": f"resident{number}@example.edu",
        "to_name": f"Résident {number}",
        "subject": f"Your room, message {number}",
        "text": f"Hello resident {number}.",
        "html": f"<p>Hello resident {number}.</p>",
        **changes,
    }
    return OutgoingEmail(**fields)  # type: ignore[arg-type]


def read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.SMTP)
    assert isinstance(message, EmailMessage)
    return message


def eml_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.eml"))


async def test_each_message_becomes_one_file_that_parses_back(tmp_path: Path) -> None:
    outbox = tmp_path / "var" / "outbox"  # created on first use
    clock = FixedClock()
    batch = [email(1), email(2, html=None)]

    outcomes = await OutboxFolderMailer(outbox, MAIL_FROM, clock=clock).send(batch)

    assert [(o.message_id, o.error) for o in outcomes] == [
        ("notification-1", None),
        ("notification-2", None),
    ]
    first, second = (read(path) for path in eml_files(outbox))
    assert first["Message-ID"] == "<notification-1@example.edu>"
    assert first["From"] == MAIL_FROM
    assert first["To"] == "Résident 1 <resident1@example.edu>"
    assert first["Subject"] == "Your room, message 1"
    assert first["Date"].datetime == clock.now()
    assert first.get_body(("plain",)).get_content() == "Hello resident 1."  # type: ignore[union-attr]
    assert first.get_body(("html",)).get_content() == "<p>Hello resident 1.</p>"  # type: ignore[union-attr]
    assert second.get_content_type() == "text/plain"
    assert sorted(outbox.iterdir()) == eml_files(outbox)  # no temporary file left behind


async def test_file_names_sort_by_time_and_carry_the_message_id(tmp_path: Path) -> None:
    clock = FixedClock()
    mailer = OutboxFolderMailer(tmp_path, MAIL_FROM, clock=clock)
    await mailer.send([email(3), email(1)])  # the same instant: the order of sending decides
    clock.advance(timedelta(seconds=1))
    await mailer.send([email(2)])

    names = [path.name for path in eml_files(tmp_path)]
    assert [name.split("-", 3)[3] for name in names] == [
        "notification-3.eml",
        "notification-1.eml",
        "notification-2.eml",
    ]
    assert names[0].startswith("20260901T090000000000Z-")
    assert names[2].startswith("20260901T090001000000Z-")


async def test_names_never_collide_even_for_the_same_message_at_the_same_instant(
    tmp_path: Path,
) -> None:
    clock = FixedClock()
    mailers = [OutboxFolderMailer(tmp_path, MAIL_FROM, clock=clock) for _ in range(4)]

    await asyncio.gather(*(mailer.send([email(1)] * 25) for mailer in mailers))

    assert len(eml_files(tmp_path)) == 100


async def test_an_unsafe_message_id_is_made_safe_in_the_file_name(tmp_path: Path) -> None:
    outcomes = await OutboxFolderMailer(tmp_path, MAIL_FROM).send(
        [email(1, message_id="../../etc/passwd")]
    )

    assert outcomes[0].delivered
    (path,) = eml_files(tmp_path)
    assert path.parent == tmp_path
    assert path.name.endswith("-.._.._etc_passwd.eml")
    assert read(path)["Message-ID"] == "<../../etc/passwd@example.edu>"


async def test_a_malformed_address_fails_that_message_only(tmp_path: Path) -> None:
    outcomes = await OutboxFolderMailer(tmp_path, MAIL_FROM).send(
        [email(1, to="not-an-address"), email(2)]
    )

    assert outcomes[0].error is not None
    assert "not-an-address" in outcomes[0].error
    assert outcomes[1].delivered
    assert len(eml_files(tmp_path)) == 1


async def test_an_unusable_outbox_folder_fails_every_message_without_raising(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be", encoding="utf-8")

    outcomes = await OutboxFolderMailer(blocker, MAIL_FROM).send([email(1), email(2)])

    assert [o.message_id for o in outcomes] == ["notification-1", "notification-2"]
    assert all(o.error and "cannot create outbox folder" in o.error for o in outcomes)


def test_a_failed_write_leaves_neither_the_file_nor_its_temporary(tmp_path: Path) -> None:
    target = tmp_path / "message.eml"
    target.mkdir()  # renaming a file onto a folder fails after the bytes were written

    with pytest.raises(OSError):  # noqa: PT011 - which OSError depends on the platform
        write_atomically(target, b"Subject: x\r\n\r\nbody\r\n")

    assert [path.name for path in tmp_path.iterdir()] == ["message.eml"]
    assert target.is_dir()


async def test_the_file_holds_what_smtp_would_have_sent(tmp_path: Path) -> None:
    clock = FixedClock()
    message = email(5)
    handler = RecordingHandler()
    with running_server(handler) as (_, port):
        await SmtpMailer(f"smtp://127.0.0.1:{port}", MAIL_FROM, clock=clock).send([message])
    await OutboxFolderMailer(tmp_path, MAIL_FROM, clock=clock).send([message])

    (path,) = eml_files(tmp_path)
    written, sent = path.read_bytes(), handler.received[0].content

    assert without_boundary(written) == without_boundary(sent)


def without_boundary(data: bytes) -> bytes:
    """The one difference allowed: each rendering draws a fresh random MIME boundary."""
    boundary = message_from_bytes(data, policy=policy.SMTP).get_boundary()
    assert boundary is not None
    return data.replace(boundary.encode(), b"BOUNDARY")
