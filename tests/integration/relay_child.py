"""A relay process to be killed mid-send: `python -m tests.integration.relay_child <url>`.

It runs the real relay on the database at <url>; its mailer prints `SENDING <message ids>` once
the batch is claimed and committed, then never returns, so the test can SIGKILL the process at
exactly the point between claiming and sending."""

import asyncio
import sys
from collections.abc import Sequence

from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationsUnitOfWork
from adapters.system.clock import SystemClock
from application.notifications.ports import DeliveryOutcome, OutgoingEmail
from application.notifications.relay import RelayNotifications
from tests.fakes import RecordingSmsSender

SENDING = "SENDING"


class StuckMailer:
    async def send(self, messages: Sequence[OutgoingEmail]) -> list[DeliveryOutcome]:
        print(SENDING, *(message.message_id for message in messages), flush=True)
        await asyncio.Event().wait()  # until killed
        raise AssertionError("unreachable")


async def main(url: str) -> None:
    engine = create_engine(url)
    relay = RelayNotifications(
        lambda: SqlAlchemyNotificationsUnitOfWork(engine),
        StuckMailer(),
        RecordingSmsSender(),
        SystemClock(),
    )
    await relay()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
