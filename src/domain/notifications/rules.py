"""Pure delivery rules: when a notification is due, how long to wait after a failure, and the
transitions of its state. Each transition returns a new Notification and leaves the old one be."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.notifications.errors import IllegalTransition
from domain.notifications.model import DeliveryState, Notification

# Enough of a gateway's or server's answer to act on; the rest is noise in a status column.
MAX_ERROR_LENGTH = 500
LEASE_LOST = "the relay that claimed it stopped before recording the outcome"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: `first_delay` after the first failed attempt, times `multiplier`
    after each further one, never more than `max_delay`; after `max_attempts` it gives up.
    `lease` is how long a relay may hold a claimed notification before another may take it:
    longer than any send can take, so a live relay never loses what it holds."""

    first_delay: timedelta = timedelta(minutes=1)
    multiplier: int = 2
    max_delay: timedelta = timedelta(hours=1)
    max_attempts: int = 6
    lease: timedelta = timedelta(minutes=5)

    def __post_init__(self) -> None:
        if self.first_delay <= timedelta(0) or self.lease <= timedelta(0):
            raise ValueError("first_delay and lease must be positive")
        if self.max_delay < self.first_delay:
            raise ValueError("max_delay must be at least first_delay")
        if self.multiplier < 1 or self.max_attempts < 1:
            raise ValueError("multiplier and max_attempts must be at least 1")


def retry_delay(policy: RetryPolicy, attempts: int) -> timedelta:
    """The wait after the `attempts`-th attempt failed."""
    if attempts < 1:
        raise ValueError("attempts counts from 1")
    delay = policy.first_delay
    if policy.multiplier == 1:
        return delay
    for _ in range(attempts - 1):
        if delay >= policy.max_delay:  # at most ~log2(max / first) steps, whatever `attempts`
            break
        delay *= policy.multiplier
    return min(delay, policy.max_delay)


def is_due(notification: Notification, now: datetime) -> bool:
    return notification.state is DeliveryState.QUEUED and notification.next_attempt_at <= now


def lease_expired(notification: Notification, now: datetime) -> bool:
    return (
        notification.state is DeliveryState.SENDING
        and notification.claimed_until is not None
        and notification.claimed_until <= now
    )


def claim(notification: Notification, now: datetime, lease_until: datetime) -> Notification:
    """A relay takes a due notification to send it; the claim counts as an attempt."""
    if not is_due(notification, now):
        raise IllegalTransition("claimed", _describe(notification))
    if lease_until <= now:
        raise ValueError("a lease must end after it starts")
    return replace(
        notification,
        state=DeliveryState.SENDING,
        attempts=notification.attempts + 1,
        claimed_until=lease_until,
    )


def mark_sent(notification: Notification, now: datetime) -> Notification:
    _require_sending(notification, "marked sent")
    return replace(
        notification, state=DeliveryState.SENT, sent_at=now, claimed_until=None, last_error=None
    )


def mark_failed(
    notification: Notification,
    error: str,
    now: datetime,
    policy: RetryPolicy,
    *,
    permanent: bool = False,
) -> Notification:
    """Queued again after the backoff delay, or failed for good when the error is permanent (a
    message that cannot be rendered) or the attempts are used up."""
    _require_sending(notification, "marked failed")
    return _retry_or_give_up(notification, error, now, policy, permanent=permanent)


def release_lease(notification: Notification, now: datetime, policy: RetryPolicy) -> Notification:
    """The relay holding it died (its lease ran out): due again at once, since nothing says the
    message itself is at fault, unless that claim was the last attempt allowed."""
    if not lease_expired(notification, now):
        raise IllegalTransition("released", _describe(notification))
    assert notification.claimed_until is not None
    if notification.attempts >= policy.max_attempts:
        return _retry_or_give_up(notification, LEASE_LOST, now, policy, permanent=True)
    return replace(
        notification,
        state=DeliveryState.QUEUED,
        next_attempt_at=notification.claimed_until,
        claimed_until=None,
        last_error=LEASE_LOST,
    )


def _retry_or_give_up(
    notification: Notification, error: str, now: datetime, policy: RetryPolicy, *, permanent: bool
) -> Notification:
    last_error = error[:MAX_ERROR_LENGTH]
    if permanent or notification.attempts >= policy.max_attempts:
        return replace(
            notification, state=DeliveryState.FAILED, claimed_until=None, last_error=last_error
        )
    return replace(
        notification,
        state=DeliveryState.QUEUED,
        next_attempt_at=now + retry_delay(policy, notification.attempts),
        claimed_until=None,
        last_error=last_error,
    )


def _require_sending(notification: Notification, action: str) -> None:
    if notification.state is not DeliveryState.SENDING:
        raise IllegalTransition(action, notification.state.value)


def _describe(notification: Notification) -> str:
    if notification.state is DeliveryState.QUEUED:
        return "queued (not yet due)"
    if notification.state is DeliveryState.SENDING:
        return "sending (lease still held)"
    return notification.state.value
