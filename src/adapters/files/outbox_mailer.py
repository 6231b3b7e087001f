"""The embedded mode's mailer: each message becomes one `.eml` file in the outbox folder, holding
exactly the bytes SMTP would send, so a developer opens what a resident would have received."""

import asyncio
import itertools
import os
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from adapters.mime.message import render_email
from adapters.system.clock import SystemClock
from application.notifications.ports import DeliveryOutcome, OutgoingEmail
from application.shared.ports import Clock

# Orders files written in the same microsecond by one process; shared by every instance.
_sequence = itertools.count()
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]")
MAX_ID_IN_FILE_NAME = 64


def outbox_file_name(sent_at: datetime, message_id: str) -> str:
    """`20260123T045353123456Z-0000000042-9f3a61c2-<message id>.eml`: the UTC time first, so
    names sort by time; a process-wide sequence and a random part, so they never collide,
    not even between processes; the message id, so a notification's file can be found."""
    stamp = sent_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    safe_id = _UNSAFE_IN_FILE_NAME.sub("_", message_id)[:MAX_ID_IN_FILE_NAME]
    return f"{stamp}-{next(_sequence):010d}-{secrets.token_hex(4)}-{safe_id}.eml"


def write_atomically(path: Path, data: bytes) -> None:
    """Readers see the whole file or none of it: the bytes go to a hidden temporary file in the
    same folder, which is then renamed. Not fsynced: this is the development outbox, and a
    power cut losing the newest files is acceptable there."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        with temporary.open("xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


class OutboxFolderMailer:
    def __init__(self, outbox_dir: Path, mail_from: str, *, clock: Clock | None = None) -> None:
        self._outbox_dir = outbox_dir
        self._mail_from = mail_from
        self._clock = clock or SystemClock()

    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        # One thread hop per batch: file writes block, and the event loop must not.
        return await asyncio.to_thread(self._write_batch, list(messages))

    def _write_batch(self, messages: list[OutgoingEmail]) -> list[DeliveryOutcome]:
        try:
            self._outbox_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = f"cannot create outbox folder {self._outbox_dir}: {error}"
            return [DeliveryOutcome(message_id=m.message_id, error=reason) for m in messages]
        return [self._write(message) for message in messages]

    def _write(self, message: OutgoingEmail) -> DeliveryOutcome:
        sent_at = self._clock.now()
        try:
            rendered = render_email(message, mail_from=self._mail_from, sent_at=sent_at)
            path = self._outbox_dir / outbox_file_name(sent_at, message.message_id)
            write_atomically(path, rendered.data)
        except (ValueError, OSError) as error:
            return DeliveryOutcome(message_id=message.message_id, error=str(error))
        return DeliveryOutcome(message_id=message.message_id)
