"""Email throughput: 10,000 messages through SmtpMailer to a local SMTP sink (aiosmtpd in its
own process, discarding what it accepts), in batches of the size the relay would hand over, on
one connection and on several at once; then the same 10,000 through OutboxFolderMailer into a
temporary folder. Each figure comes with the sending process's peak resident memory."""

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters.files.outbox_mailer import OutboxFolderMailer
from adapters.mime.message import render_email
from adapters.smtp.mailer import SmtpMailer
from application.notifications.ports import DeliveryOutcome, Mailer, OutgoingEmail
from benchmarks.harness import READY_DEADLINE_SECONDS, PeakMemory, free_port

MESSAGES = 10_000
BATCH_SIZE = 200
CONCURRENT_CONNECTIONS = 4
MAIL_FROM = "Campus Residence <residence@example.edu>"

TEXT = (
    "Dear {name},\n\n"
    "An announcement from the residence office: the water supply of your building will be\n"
    "interrupted on Thursday between 09:00 and 12:00 for maintenance of the boiler room.\n"
    "Please keep a bottle of water ready and report any leak to the front desk.\n\n"
    "Kind regards,\nThe Residence Office\n"
)
HTML = (
    "<html><body><p>Dear {name},</p>"
    "<p>An announcement from the residence office: the water supply of your building will be "
    "interrupted on <b>Thursday between 09:00 and 12:00</b> for maintenance of the boiler "
    "room.</p><p>Please keep a bottle of water ready and report any leak to the front "
    "desk.</p><p>Kind regards,<br>The Residence Office</p></body></html>"
)


def messages(count: int) -> list[OutgoingEmail]:
    return [
        OutgoingEmail(
            message_id=f"bench-{number:06d}",
            to=f"resident{number}@example.edu",
            to_name=f"Resident {number}",
            subject="Water supply interrupted on Thursday morning",
            text=TEXT.format(name=f"Resident {number}"),
            html=HTML.format(name=f"Resident {number}"),
        )
        for number in range(count)
    ]


def batches(items: Sequence[OutgoingEmail], size: int) -> list[Sequence[OutgoingEmail]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


@contextmanager
def smtp_sink() -> Iterator[int]:
    """aiosmtpd's Sink handler in a separate process, so the sink and the sender do not share
    one interpreter lock; yields its port once it greets."""
    port = free_port()
    listen = f"127.0.0.1:{port}"
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", listen],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    if connection.recv(3) == b"220":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or sink.poll() is not None:
                raise RuntimeError("the SMTP sink did not start")
            time.sleep(0.05)  # polling interval while waiting for the sink to start
        yield port
    finally:
        sink.terminate()
        sink.wait(timeout=10)


async def _send_all(
    mailer: Mailer, work: list[Sequence[OutgoingEmail]], connections: int
) -> list[DeliveryOutcome]:
    """`connections` senders take batches from a shared queue, as that many relay workers
    would; each batch uses its own connection."""
    queue: asyncio.Queue[Sequence[OutgoingEmail]] = asyncio.Queue()
    for batch in work:
        queue.put_nowait(batch)
    outcomes: list[DeliveryOutcome] = []

    async def sender() -> None:
        while not queue.empty():
            outcomes.extend(await mailer.send(queue.get_nowait()))

    await asyncio.gather(*(sender() for _ in range(connections)))
    return outcomes


def _measure(label: str, run: Callable[[], Coroutine[Any, Any, list[DeliveryOutcome]]]) -> None:
    with PeakMemory(os.getpid()) as memory:
        started = time.perf_counter()
        outcomes = asyncio.run(run())
        elapsed = time.perf_counter() - started
    failed = [outcome for outcome in outcomes if not outcome.delivered]
    if len(outcomes) != MESSAGES or failed:
        raise RuntimeError(f"{label}: {len(failed)} of {len(outcomes)} failed: {failed[:3]}")
    print(
        f"  {label:52s} {MESSAGES / elapsed:7.0f} messages/s  "
        f"({elapsed:5.2f} s)  peak RSS {memory.peak_mib:4.0f} MiB"
    )


def main() -> None:
    emails = messages(MESSAGES)
    work = batches(emails, BATCH_SIZE)
    size = len(render_email(emails[0], mail_from=MAIL_FROM, sent_at=datetime.now(UTC)).data)
    print(
        f"== email throughput: {MESSAGES} messages (text + HTML, {size} bytes each), "
        f"batches of {BATCH_SIZE}; load average before: {os.getloadavg()[0]:.2f} =="
    )
    with smtp_sink() as port:
        smtp = SmtpMailer(f"smtp://127.0.0.1:{port}", MAIL_FROM)
        _measure("SmtpMailer -> aiosmtpd sink, 1 connection", lambda: _send_all(smtp, work, 1))
        _measure(
            f"SmtpMailer -> aiosmtpd sink, {CONCURRENT_CONNECTIONS} connections",
            lambda: _send_all(smtp, work, CONCURRENT_CONNECTIONS),
        )
    with tempfile.TemporaryDirectory() as folder:
        outbox = OutboxFolderMailer(Path(folder), MAIL_FROM)
        _measure("OutboxFolderMailer -> .eml files", lambda: _send_all(outbox, work, 1))
        written = len(list(Path(folder).glob("*.eml")))
        if written != MESSAGES:
            raise RuntimeError(f"OutboxFolderMailer wrote {written} files, not {MESSAGES}")


if __name__ == "__main__":
    main()
