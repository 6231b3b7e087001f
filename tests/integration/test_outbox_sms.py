"""OutboxFolderSmsSender on a real folder: one whole JSON line per message in `sms.jsonl`, even
when many messages are sent at once."""

import asyncio
from pathlib import Path

import msgspec

from adapters.files.outbox_sms import SMS_FILE_NAME, OutboxFolderSmsSender, SmsLine
from application.notifications.ports import OutgoingSms
from tests.fakes import FixedClock


def sms(number: int) -> OutgoingSms:
    return OutgoingSms(
        message_id=f"notification-{number}", to=f"+1555000{number:04d}", text=f"Message {number}"
    )


def lines(folder: Path) -> list[SmsLine]:
    raw = (folder / SMS_FILE_NAME).read_bytes().splitlines()
    return [msgspec.json.decode(line, type=SmsLine) for line in raw]


async def test_each_message_is_one_line_in_the_outbox_folder(tmp_path: Path) -> None:
    outbox = tmp_path / "var" / "outbox"  # created on first use
    sender = OutboxFolderSmsSender(outbox, clock=FixedClock())

    first = await sender.send(sms(1))
    second = await sender.send(OutgoingSms(message_id="n-2", to="+15550002", text="Line\nbreak"))

    assert (first.message_id, first.error) == ("notification-1", None)
    assert second.delivered
    assert sender.path == outbox / SMS_FILE_NAME
    assert lines(outbox) == [
        SmsLine(
            message_id="notification-1",
            to="+15550000001",
            text="Message 1",
            sent_at="2026-09-01T09:00:00+00:00",
        ),
        SmsLine(
            message_id="n-2",
            to="+15550002",
            text="Line\nbreak",
            sent_at="2026-09-01T09:00:00+00:00",
        ),
    ]


async def test_concurrent_senders_never_mix_their_lines(tmp_path: Path) -> None:
    senders = [OutboxFolderSmsSender(tmp_path) for _ in range(3)]
    long_text = "x" * 70_000  # bigger than a pipe buffer: a single write is not atomic by law

    def numbered(number: int) -> OutgoingSms:
        message = sms(number)
        return OutgoingSms(message_id=message.message_id, to=message.to, text=long_text)

    outcomes = await asyncio.gather(
        *(senders[number % 3].send(numbered(number)) for number in range(150))
    )

    assert all(outcome.delivered for outcome in outcomes)
    written = lines(tmp_path)
    assert sorted(line.message_id for line in written) == sorted(
        f"notification-{number}" for number in range(150)
    )
    assert {line.text for line in written} == {long_text}


async def test_an_unwritable_outbox_reports_the_error_without_raising(tmp_path: Path) -> None:
    blocker = tmp_path / "outbox"
    blocker.write_text("a file where the folder should be", encoding="utf-8")

    outcome = await OutboxFolderSmsSender(blocker).send(sms(1))

    assert outcome.message_id == "notification-1"
    assert outcome.error is not None
    assert str(blocker) in outcome.error
