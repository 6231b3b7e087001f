"""Pure delivery rules of notifications: backoff, and the transitions of a notification's state."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.notifications.errors import IllegalTransition
from domain.notifications.model import Channel, DeliveryState, Notification
from domain.notifications.rules import (
    LEASE_LOST,
    MAX_ERROR_LENGTH,
    RetryPolicy,
    claim,
    is_due,
    lease_expired,
    mark_failed,
    mark_sent,
    release_lease,
    retry_delay,
)

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
POLICY = RetryPolicy(
    first_delay=timedelta(minutes=1),
    multiplier=2,
    max_delay=timedelta(minutes=10),
    max_attempts=3,
    lease=timedelta(minutes=5),
)


def a_notification(**changes: object) -> Notification:
    values: dict[str, object] = {
        "kind": "announcement",
        "channel": Channel.EMAIL,
        "recipient_address": "ada@example.edu",
        "recipient_name": "Ada Okafor",
        "data": {"title": "Fire drill", "body": "Tuesday at ten."},
        "next_attempt_at": NOW,
    }
    return Notification(**(values | changes))  # type: ignore[arg-type]


@st.composite
def policies(draw: st.DrawFn) -> RetryPolicy:
    first = draw(st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=1)))
    return RetryPolicy(
        first_delay=first,
        multiplier=draw(st.integers(min_value=1, max_value=5)),
        max_delay=first + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=1))),
        max_attempts=draw(st.integers(min_value=1, max_value=8)),
        lease=draw(st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=1))),
    )


# --- backoff -----------------------------------------------------------------------------------


@given(policies(), st.integers(min_value=1, max_value=60))
def test_the_delay_multiplies_after_each_failure_up_to_the_cap(
    policy: RetryPolicy, attempts: int
) -> None:
    # In whole microseconds: Python's integers do not overflow where timedelta would.
    first, cap = (
        delay // timedelta(microseconds=1) for delay in (policy.first_delay, policy.max_delay)
    )
    expected = timedelta(microseconds=min(first * policy.multiplier ** (attempts - 1), cap))

    assert retry_delay(policy, attempts) == expected
    assert policy.first_delay <= retry_delay(policy, attempts) <= policy.max_delay
    assert retry_delay(policy, attempts) <= retry_delay(policy, attempts + 1)


@given(policies())
def test_a_huge_attempt_count_costs_nothing_and_stays_capped(policy: RetryPolicy) -> None:
    delay = retry_delay(policy, 10**9)

    assert delay == (policy.max_delay if policy.multiplier > 1 else policy.first_delay)


def test_the_default_backoff_spreads_six_attempts_over_about_half_an_hour() -> None:
    delays = [retry_delay(RetryPolicy(), attempts) for attempts in range(1, 6)]

    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]
    assert RetryPolicy().max_attempts == 6


@pytest.mark.parametrize(
    "changes",
    [
        {"first_delay": timedelta(0)},
        {"lease": timedelta(seconds=-1)},
        {"first_delay": timedelta(minutes=2), "max_delay": timedelta(minutes=1)},
        {"multiplier": 0},
        {"max_attempts": 0},
    ],
)
def test_a_policy_that_makes_no_sense_is_refused(changes: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        RetryPolicy(**changes)  # type: ignore[arg-type]


def test_attempts_count_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        retry_delay(POLICY, 0)


# --- transitions, one at a time ----------------------------------------------------------------


def test_a_queued_notification_is_due_from_its_next_attempt_time() -> None:
    notification = a_notification(next_attempt_at=NOW)

    assert not is_due(notification, NOW - timedelta(microseconds=1))
    assert is_due(notification, NOW)


def test_claiming_takes_a_lease_and_counts_an_attempt() -> None:
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)

    assert (claimed.state, claimed.attempts) == (DeliveryState.SENDING, 1)
    assert claimed.claimed_until == NOW + POLICY.lease
    assert not is_due(claimed, NOW + timedelta(days=1))


def test_what_is_not_due_cannot_be_claimed() -> None:
    with pytest.raises(IllegalTransition, match="not yet due"):
        claim(a_notification(next_attempt_at=NOW + timedelta(seconds=1)), NOW, NOW + POLICY.lease)
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)
    with pytest.raises(IllegalTransition, match="lease still held"):
        claim(claimed, NOW, NOW + POLICY.lease)


def test_sent_records_the_time_and_drops_the_lease() -> None:
    claimed = claim(a_notification(last_error="timeout"), NOW, NOW + POLICY.lease)

    sent = mark_sent(claimed, NOW + timedelta(seconds=3))

    assert sent.state is DeliveryState.SENT
    assert sent.sent_at == NOW + timedelta(seconds=3)
    assert (sent.claimed_until, sent.last_error) == (None, None)


def test_a_failure_is_retried_after_the_backoff_delay() -> None:
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)

    failed = mark_failed(claimed, "451 try later", NOW, POLICY)

    assert failed.state is DeliveryState.QUEUED
    assert failed.next_attempt_at == NOW + timedelta(minutes=1)
    assert (failed.last_error, failed.claimed_until, failed.attempts) == ("451 try later", None, 1)


def test_the_last_allowed_attempt_fails_for_good() -> None:
    claimed = claim(a_notification(attempts=POLICY.max_attempts - 1), NOW, NOW + POLICY.lease)

    failed = mark_failed(claimed, "550 no such user", NOW, POLICY)

    assert failed.state is DeliveryState.FAILED
    assert failed.last_error == "550 no such user"


def test_a_permanent_failure_is_final_on_the_first_attempt() -> None:
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)

    failed = mark_failed(claimed, "no template", NOW, POLICY, permanent=True)

    assert (failed.state, failed.attempts) == (DeliveryState.FAILED, 1)


def test_a_long_error_is_cut_to_a_readable_length() -> None:
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)

    failed = mark_failed(claimed, "x" * 10_000, NOW, POLICY)

    assert failed.last_error == "x" * MAX_ERROR_LENGTH


def test_an_expired_lease_makes_the_notification_due_again_at_once() -> None:
    claimed = claim(a_notification(), NOW, NOW + POLICY.lease)
    expiry = NOW + POLICY.lease

    assert not lease_expired(claimed, expiry - timedelta(microseconds=1))
    with pytest.raises(IllegalTransition, match="lease still held"):
        release_lease(claimed, expiry - timedelta(microseconds=1), POLICY)
    released = release_lease(claimed, expiry, POLICY)

    assert released.state is DeliveryState.QUEUED
    assert is_due(released, expiry)
    assert (released.attempts, released.last_error) == (1, LEASE_LOST)


def test_an_expired_lease_on_the_last_attempt_fails_for_good() -> None:
    claimed = claim(a_notification(attempts=POLICY.max_attempts - 1), NOW, NOW + POLICY.lease)

    released = release_lease(claimed, NOW + POLICY.lease, POLICY)

    assert released.state is DeliveryState.FAILED
    assert released.last_error == LEASE_LOST


@pytest.mark.parametrize("state", [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.FAILED])
def test_only_a_sending_notification_takes_an_outcome(state: DeliveryState) -> None:
    notification = a_notification(state=state)

    with pytest.raises(IllegalTransition):
        mark_sent(notification, NOW)
    with pytest.raises(IllegalTransition):
        mark_failed(notification, "error", NOW, POLICY)
    with pytest.raises(IllegalTransition):
        release_lease(notification, NOW, POLICY)


# --- transitions, in any order -----------------------------------------------------------------

events = st.lists(
    st.one_of(
        st.tuples(st.just("wait"), st.integers(min_value=0, max_value=7200)),
        st.tuples(st.just("claim"), st.just(0)),
        st.tuples(st.just("sent"), st.just(0)),
        st.tuples(st.just("failed"), st.booleans().map(int)),
        st.tuples(st.just("expire"), st.just(0)),
    ),
    max_size=40,
)


def _step(
    notification: Notification, event: str, value: int, now: datetime, policy: RetryPolicy
) -> Notification:
    match event:
        case "claim":
            return claim(notification, now, now + policy.lease)
        case "sent":
            return mark_sent(notification, now)
        case "failed":
            return mark_failed(notification, "refused", now, policy, permanent=bool(value))
        case _:
            return release_lease(notification, now, policy)


@given(policies(), events)
def test_any_sequence_of_events_keeps_the_delivery_record_consistent(
    policy: RetryPolicy, sequence: list[tuple[str, int]]
) -> None:
    notification, now = a_notification(), NOW
    claims = sends = 0
    for event, value in sequence:
        if event == "wait":
            now += timedelta(seconds=value)
            continue
        before = notification
        try:
            notification = _step(notification, event, value, now, policy)
        except IllegalTransition:
            assert notification is before
            continue
        claims += event == "claim"
        sends += event == "sent"
        if event == "failed" and notification.state is DeliveryState.QUEUED:
            assert notification.next_attempt_at == now + retry_delay(policy, notification.attempts)

        # A lease exactly while sending; attempts are the claims, never beyond the limit.
        assert (notification.state is DeliveryState.SENDING) == (
            notification.claimed_until is not None
        )
        assert notification.attempts == claims <= policy.max_attempts
        assert sends <= 1
        assert (notification.state is DeliveryState.SENT) == (notification.sent_at is not None)
        if notification.state is DeliveryState.FAILED:
            assert notification.last_error
        if before.state in (DeliveryState.SENT, DeliveryState.FAILED):
            pytest.fail(f"{event} changed a {before.state} notification")


@given(policies(), st.integers(min_value=0, max_value=20))
def test_the_data_and_recipient_never_change(policy: RetryPolicy, attempts: int) -> None:
    notification = a_notification(attempts=min(attempts, policy.max_attempts - 1))
    claimed = claim(notification, NOW, NOW + policy.lease)

    for outcome in (
        mark_sent(claimed, NOW),
        mark_failed(claimed, "error", NOW, policy),
        release_lease(claimed, NOW + policy.lease, policy),
    ):
        assert replace(
            outcome,
            state=notification.state,
            attempts=notification.attempts,
            claimed_until=None,
            last_error=None,
            sent_at=None,
            next_attempt_at=notification.next_attempt_at,
        ) == replace(notification, last_error=None)
