"""Killing the relay between commit and send loses no message: a relay process is SIGKILLed
after it claimed a notification and before the mailer returned; once the lease runs out, the
next relay delivers it, once."""

import asyncio
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationsUnitOfWork
from application.notifications.relay import RelayNotifications, RelayReport, message_id
from domain.notifications.model import Channel, DeliveryState, Notification
from tests.fakes import FixedClock, RecordingMailer, RecordingSmsSender
from tests.integration.housing_backends import SQL_BACKENDS
from tests.integration.relay_child import SENDING

ROOT = Path(__file__).resolve().parents[2]
# A cold interpreter imports SQLAlchemy and the application before it relays anything.
CHILD_TIMEOUT_SECONDS = 60


@pytest.fixture(params=SQL_BACKENDS)
def database(request: pytest.FixtureRequest) -> tuple[str, AsyncEngine]:
    """The URL of a migrated, emptied database, and an engine on it."""
    name = {"sqlite": "sqlite", "postgresql": "postgres"}[request.param]
    url: str = request.getfixturevalue(f"{name}_url")
    engine: AsyncEngine = request.getfixturevalue(f"{name}_engine")
    return url, engine


async def relay_killed_while_sending(url: str) -> str:
    """Runs a relay process until its mailer starts sending, SIGKILLs it, returns what it said."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.integration.relay_child",
        url,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        line = await asyncio.wait_for(child.stdout.readline(), CHILD_TIMEOUT_SECONDS)
    finally:
        child.send_signal(signal.SIGKILL)
        _, errors = await child.communicate()
    assert line, f"the relay process said nothing; its errors: {errors.decode()}"
    assert child.returncode == -signal.SIGKILL
    return line.decode().strip()


async def test_a_relay_killed_mid_send_loses_nothing_and_the_next_sends_once(
    database: tuple[str, AsyncEngine],
) -> None:
    url, engine = database
    notification = Notification(
        kind="announcement",
        channel=Channel.EMAIL,
        recipient_address="ada@example.edu",
        recipient_name="Ada Okafor",
        data={"title": "Fire drill", "body": "Tuesday at ten."},
        next_attempt_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    async with SqlAlchemyNotificationsUnitOfWork(engine) as uow:
        await uow.outbox.add(notification)
        await uow.commit()

    assert await relay_killed_while_sending(url) == f"{SENDING} {message_id(notification)}"

    async with SqlAlchemyNotificationsUnitOfWork(engine) as uow:
        held = await uow.outbox.get(notification.id)
    assert held is not None
    assert (held.state, held.attempts) == (DeliveryState.SENDING, 1)
    assert held.claimed_until is not None

    clock = FixedClock(held.claimed_until - timedelta(microseconds=1))
    mailer = RecordingMailer()
    relay = RelayNotifications(
        lambda: SqlAlchemyNotificationsUnitOfWork(engine), mailer, RecordingSmsSender(), clock
    )
    assert await relay() == RelayReport()  # the dead relay's lease still holds it
    clock.advance(timedelta(microseconds=1))
    assert await relay() == RelayReport(claimed=1, sent=1, released=1)
    assert await relay() == RelayReport()

    assert [m.message_id for m in mailer.sent] == [message_id(notification)]
    async with SqlAlchemyNotificationsUnitOfWork(engine) as uow:
        delivered = await uow.outbox.get(notification.id)
    assert delivered is not None
    assert (delivered.state, delivered.attempts) == (DeliveryState.SENT, 2)
