"""The embedded mode's SMS sender: one JSON line per message appended to `sms.jsonl` in the
outbox folder, where a developer reads what residents would have received on their phones."""

import asyncio
import os
import threading
from pathlib import Path

import msgspec

from adapters.system.clock import SystemClock
from application.notifications.ports import DeliveryOutcome, OutgoingSms
from application.shared.ports import Clock

SMS_FILE_NAME = "sms.jsonl"
# One lock for every instance: two senders on the same folder still append one line at a time.
# Appends run in worker threads, not on the event loop, hence a thread lock.
_append_lock = threading.Lock()


class SmsLine(msgspec.Struct, frozen=True, kw_only=True):
    message_id: str
    to: str
    text: str
    sent_at: str  # ISO 8601, UTC


class OutboxFolderSmsSender:
    """Each line is written with one `write` on a file opened for appending, so lines from
    concurrent senders do not interleave; within a process a lock also keeps lines whole if
    the operating system ever splits a write."""

    def __init__(self, outbox_dir: Path, *, clock: Clock | None = None) -> None:
        self._path = outbox_dir / SMS_FILE_NAME
        self._clock = clock or SystemClock()

    @property
    def path(self) -> Path:
        return self._path

    async def send(self, message: OutgoingSms) -> DeliveryOutcome:
        line = SmsLine(
            message_id=message.message_id,
            to=message.to,
            text=message.text,
            sent_at=self._clock.now().isoformat(),
        )
        try:
            await asyncio.to_thread(self._append, msgspec.json.encode(line) + b"\n")
        except OSError as error:
            return DeliveryOutcome(message_id=message.message_id, error=f"{self._path}: {error}")
        return DeliveryOutcome(message_id=message.message_id)

    def _append(self, data: bytes) -> None:
        with _append_lock:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                written = 0
                while written < len(data):
                    written += os.write(descriptor, data[written:])
            finally:
                os.close(descriptor)
