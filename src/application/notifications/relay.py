"""The relay: delivers the notifications the outbox holds."""

import logging
from collections.abc import Awaitable, Sequence

import msgspec

from application.notifications.ports import (
    DeliveryOutcome,
    Mailer,
    NotificationsUnitOfWorkFactory,
    OutgoingEmail,
    OutgoingSms,
    SmsSender,
)
from application.notifications.templates import RenderedMessage, render, sms_text
from application.shared.ports import Clock
from domain.notifications.model import Channel, DeliveryState, Notification
from domain.notifications.rules import RetryPolicy, mark_failed, mark_sent
from domain.shared.errors import InvalidValue

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 100


class RelayReport(msgspec.Struct, frozen=True, kw_only=True):
    claimed: int = 0
    sent: int = 0
    retrying: int = 0  # failed this time, queued again after the backoff delay
    failed: int = 0  # failed for good
    released: int = 0  # taken back from relays that died holding them


def message_id(notification: Notification) -> str:
    """Stable per notification, so a message sent again after a crash is recognisably the same
    (the mail adapters add the sender's domain to make it a Message-ID)."""
    return str(notification.id)


class _Attempt(msgspec.Struct, kw_only=True):
    claimed: Notification
    message: RenderedMessage | None = None
    error: str | None = None
    permanent: bool = False
    # Not sent: the lease was about to run out, and another relay may take it after that.
    skipped: bool = False


class RelayNotifications:
    """Delivers the notifications that are due, in batches, until none is left.

    - a batch is claimed atomically with a lease: of two relays running at once (or one task
      delivered twice), each notification goes to one, so none is sent twice.
    - a notification whose relay died holding it is due again once the lease runs out.
    - the emails of a batch go out in one mailer batch (one connection), SMS one by one.
    - every attempt is recorded: `sent` with its time, or the error and, after exponential
      backoff, another attempt; after the last allowed attempt, or when the message cannot be
      rendered at all, `failed` for good.
    """

    def __init__(
        self,
        uow: NotificationsUnitOfWorkFactory,
        mailer: Mailer,
        sms_sender: SmsSender,
        clock: Clock,
        policy: RetryPolicy | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
    ) -> None:
        self._uow = uow
        self._mailer = mailer
        self._sms_sender = sms_sender
        self._clock = clock
        self._policy = policy or RetryPolicy()
        self._batch_size = batch_size

    async def __call__(self) -> RelayReport:
        totals = RelayReport()
        while True:
            released, batch = await self._claim()
            totals = _add(totals, RelayReport(released=released))
            if not batch:
                return totals
            attempts = await self._send(batch)
            totals = _add(totals, await self._record(attempts))

    async def _claim(self) -> tuple[int, list[Notification]]:
        now = self._clock.now()
        async with self._uow() as uow:
            released = await uow.outbox.release_expired_leases(now, self._policy.max_attempts)
            batch = await uow.outbox.claim_due(now, now + self._policy.lease, self._batch_size)
            await uow.commit()
        return released, batch

    async def _send(self, batch: Sequence[Notification]) -> list[_Attempt]:
        attempts = [_rendered(notification) for notification in batch]
        ready = [attempt for attempt in attempts if attempt.message is not None]
        emails = [attempt for attempt in ready if attempt.claimed.channel is Channel.EMAIL]
        if emails:
            messages = [_email(attempt) for attempt in emails]
            _apply(emails, await _guarded(self._mailer.send(messages), emails))
        for attempt in ready:
            if attempt.claimed.channel is not Channel.SMS:
                continue
            # SMS go one by one, and a slow gateway could outlast the lease; what is sent after
            # it ran out might be sent again by the relay that took over.
            assert attempt.claimed.claimed_until is not None
            if self._clock.now() >= attempt.claimed.claimed_until - self._policy.lease / 10:
                attempt.skipped = True
                continue
            _apply([attempt], await _guarded(self._one_sms(attempt), [attempt]))
        return attempts

    async def _one_sms(self, attempt: _Attempt) -> list[DeliveryOutcome]:
        return [await self._sms_sender.send(_sms(attempt))]

    async def _record(self, attempts: Sequence[_Attempt]) -> RelayReport:
        now = self._clock.now()
        sent = retrying = failed = 0
        async with self._uow() as uow:
            for attempt in attempts:
                claimed = attempt.claimed
                if attempt.skipped:
                    continue  # released when its lease runs out
                if attempt.error is None:
                    outcome = mark_sent(claimed, now)
                else:
                    outcome = mark_failed(
                        claimed, attempt.error, now, self._policy, permanent=attempt.permanent
                    )
                assert claimed.claimed_until is not None
                if not await uow.outbox.record(outcome, claimed.claimed_until):
                    logger.warning("notification %s: lease lost before its outcome", claimed.id)
                    continue
                if attempt.error is None:
                    sent += 1
                elif outcome.state is DeliveryState.QUEUED:
                    retrying += 1
                    logger.warning("notification %s: %s; will retry", claimed.id, attempt.error)
                else:
                    failed += 1
                    logger.error("notification %s failed for good: %s", claimed.id, attempt.error)
            await uow.commit()
        return RelayReport(claimed=len(attempts), sent=sent, retrying=retrying, failed=failed)


def _rendered(notification: Notification) -> _Attempt:
    try:
        message = render(notification.kind, notification.data)
    except InvalidValue as error:  # sending again would fail the same way
        return _Attempt(claimed=notification, error=error.message, permanent=True)
    return _Attempt(claimed=notification, message=message)


def _email(attempt: _Attempt) -> OutgoingEmail:
    assert attempt.message is not None
    notification = attempt.claimed
    return OutgoingEmail(
        message_id=message_id(notification),
        to=notification.recipient_address,
        to_name=notification.recipient_name,
        subject=attempt.message.subject,
        text=attempt.message.text,
        html=attempt.message.html,
    )


def _sms(attempt: _Attempt) -> OutgoingSms:
    assert attempt.message is not None
    notification = attempt.claimed
    return OutgoingSms(
        message_id=message_id(notification),
        to=notification.recipient_address,
        text=sms_text(attempt.message),
    )


async def _guarded(
    sending: Awaitable[list[DeliveryOutcome]], attempts: Sequence[_Attempt]
) -> list[DeliveryOutcome]:
    """Adapters report failures per message; one that raises anyway (a bug, a lost connection)
    fails the messages it was given, for a retry, and never the relay."""
    try:
        return await sending
    except Exception as error:
        reason = f"{type(error).__name__}: {error}"
        return [
            DeliveryOutcome(message_id=message_id(attempt.claimed), error=reason)
            for attempt in attempts
        ]


def _apply(attempts: Sequence[_Attempt], outcomes: Sequence[DeliveryOutcome]) -> None:
    by_id = {outcome.message_id: outcome for outcome in outcomes}
    for attempt in attempts:
        outcome = by_id.get(message_id(attempt.claimed))
        attempt.error = "the sender reported no outcome" if outcome is None else outcome.error


def _add(left: RelayReport, right: RelayReport) -> RelayReport:
    return RelayReport(
        **{
            name: getattr(left, name) + getattr(right, name)
            for name in RelayReport.__struct_fields__
        }
    )
