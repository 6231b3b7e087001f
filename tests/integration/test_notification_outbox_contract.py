"""The outbox contract, run against the in-memory fake, SQLite and PostgreSQL: the same
assertions on each, so the fake the unit tests use cannot drift from the real tables."""

import asyncio
from datetime import timedelta

import pytest

from domain.accounts.model import Role, User
from domain.notifications.model import DeliveryState, Notification
from domain.notifications.rules import LEASE_LOST, RetryPolicy, mark_failed, mark_sent
from tests.integration.housing_backends import ALL_BACKENDS
from tests.integration.notifications_backends import (
    NOW,
    OutboxBackend,
    a_notification,
    outbox_backend,
    queued,
    read,
)

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3


@pytest.fixture(params=ALL_BACKENDS)
def outbox(request: pytest.FixtureRequest) -> OutboxBackend:
    return outbox_backend(request)


async def claim(
    outbox: OutboxBackend, limit: int = 100, now: timedelta = timedelta(0)
) -> list[Notification]:
    async with outbox.uow() as uow:
        claimed = await uow.outbox.claim_due(NOW + now, NOW + now + LEASE, limit)
        await uow.commit()
    return claimed


async def test_a_notification_reads_back_as_written(outbox: OutboxBackend) -> None:
    notification = a_notification(recipient_name=None, last_error="earlier: 451")
    await queued(outbox, notification, a_notification("ben@example.edu", source=None))

    assert await read(outbox, notification) == notification
    assert await read(outbox, a_notification()) is None


async def test_a_notification_not_committed_is_not_there(outbox: OutboxBackend) -> None:
    notification = a_notification()
    async with outbox.uow() as uow:
        await uow.outbox.add(notification)

    assert await read(outbox, notification) is None


async def test_the_accounts_transaction_carries_its_notifications(outbox: OutboxBackend) -> None:
    user = User(email="ada@example.edu", role=Role.STAFF, password_hash="$argon2id$ada")
    notification = a_notification(source=f"user:{user.id}")
    async with outbox.accounts_uow() as uow:
        await uow.users.add(user)
        await uow.outbox.add(notification)
    assert await read(outbox, notification) is None  # rolled back with the account

    async with outbox.accounts_uow() as uow:
        await uow.users.add(user)
        await uow.outbox.add(notification)
        await uow.commit()

    assert await read(outbox, notification) == notification


async def test_claiming_takes_the_longest_due_first_and_leases_them(outbox: OutboxBackend) -> None:
    first = a_notification("first@example.edu", next_attempt_at=NOW - timedelta(seconds=2))
    second = a_notification("second@example.edu", next_attempt_at=NOW - timedelta(seconds=1))
    third = a_notification("third@example.edu", next_attempt_at=NOW, attempts=1)
    later = a_notification("later@example.edu", next_attempt_at=NOW + timedelta(microseconds=1))
    done = [
        a_notification(state=DeliveryState.SENT, sent_at=NOW),
        a_notification(state=DeliveryState.FAILED, last_error="550"),
        a_notification(state=DeliveryState.SENDING, claimed_until=NOW + LEASE),
    ]
    await queued(outbox, third, later, second, first, *done)

    batch = await claim(outbox, limit=2)

    assert [n.id for n in batch] == [first.id, second.id]
    for claimed in batch:
        assert (claimed.state, claimed.attempts) == (DeliveryState.SENDING, 1)
        assert claimed.claimed_until == NOW + LEASE
        assert await read(outbox, claimed) == claimed
    [claimed_third] = await claim(outbox)
    assert (claimed_third.id, claimed_third.attempts) == (third.id, 2)
    assert await claim(outbox) == []


async def test_a_claim_not_committed_is_undone(outbox: OutboxBackend) -> None:
    notification = a_notification()
    await queued(outbox, notification)
    async with outbox.uow() as uow:
        assert len(await uow.outbox.claim_due(NOW, NOW + LEASE, 10)) == 1

    assert await read(outbox, notification) == notification


async def test_an_expired_lease_is_released_or_given_up(outbox: OutboxBackend) -> None:
    retried = a_notification(
        state=DeliveryState.SENDING, attempts=1, claimed_until=NOW, next_attempt_at=NOW - LEASE
    )
    last = a_notification(state=DeliveryState.SENDING, attempts=MAX_ATTEMPTS, claimed_until=NOW)
    held = a_notification(state=DeliveryState.SENDING, attempts=1, claimed_until=NOW + LEASE)
    await queued(outbox, retried, last, held)

    async with outbox.uow() as uow:
        assert await uow.outbox.release_expired_leases(NOW - timedelta(microseconds=1), 3) == 0
        assert await uow.outbox.release_expired_leases(NOW, MAX_ATTEMPTS) == 2
        await uow.commit()

    released = await read(outbox, retried)
    assert released is not None
    assert (released.state, released.next_attempt_at) == (DeliveryState.QUEUED, NOW)
    assert (released.claimed_until, released.last_error, released.attempts) == (None, LEASE_LOST, 1)
    given_up = await read(outbox, last)
    assert given_up is not None
    assert (given_up.state, given_up.claimed_until) == (DeliveryState.FAILED, None)
    assert given_up.last_error == LEASE_LOST
    assert await read(outbox, held) == held
    assert [n.id for n in await claim(outbox)] == [retried.id]


async def test_an_outcome_is_stored_only_under_the_claim_that_holds_it(
    outbox: OutboxBackend,
) -> None:
    await queued(outbox, a_notification(), ben := a_notification("ben@example.edu"))
    ada_claimed, ben_claimed = sorted(await claim(outbox), key=lambda n: n.recipient_address)
    assert ada_claimed.claimed_until is not None
    assert ben_claimed.claimed_until is not None
    sent = mark_sent(ada_claimed, NOW + timedelta(seconds=1))
    retry = mark_failed(ben_claimed, "451 later", NOW, RetryPolicy(max_attempts=MAX_ATTEMPTS))

    async with outbox.uow() as uow:
        assert await uow.outbox.record(sent, ada_claimed.claimed_until)
        # Another relay's lease on ben: it must not write over this one's claim.
        assert not await uow.outbox.record(retry, NOW + LEASE + timedelta(seconds=1))
        await uow.commit()
    async with outbox.uow() as uow:
        # Recorded already: a second outcome for the same claim is refused.
        assert not await uow.outbox.record(sent, ada_claimed.claimed_until)

    assert await read(outbox, sent) == sent
    assert await read(outbox, ben) == ben_claimed


async def test_a_claim_made_while_another_is_open_takes_none_of_its_rows(
    outbox: OutboxBackend,
) -> None:
    notifications = [a_notification(f"s{n}@example.edu") for n in range(4)]
    await queued(outbox, *notifications)

    async with outbox.uow() as first:
        mine = await first.outbox.claim_due(NOW, NOW + LEASE, 2)
        if outbox.name == "postgresql":
            # PostgreSQL: the second claimer skips the rows the open claim locked, at once.
            theirs = await claim(outbox)
            await first.commit()
        else:
            # SQLite (and the fake): one writer at a time; the second claim waits for this
            # transaction to end, then finds its rows already `sending`.
            second = asyncio.create_task(claim(outbox))
            await first.commit()
    if outbox.name != "postgresql":
        theirs = await second

    assert {n.id for n in mine}.isdisjoint({n.id for n in theirs})
    assert {n.id for n in mine + theirs} == {n.id for n in notifications}


async def test_concurrent_claimers_each_get_a_notification_at_most_once(
    outbox: OutboxBackend,
) -> None:
    notifications = [a_notification(f"s{n}@example.edu") for n in range(20)]
    await queued(outbox, *notifications)

    async def claim_until_empty() -> list[Notification]:
        taken: list[Notification] = []
        while batch := await claim(outbox, limit=3):
            taken += batch
        return taken

    batches = await asyncio.gather(*(claim_until_empty() for _ in range(6)))

    claimed_ids = [n.id for batch in batches for n in batch]
    assert sorted(map(str, claimed_ids)) == sorted(str(n.id) for n in notifications)
    for notification in notifications:
        stored = await read(outbox, notification)
        assert stored is not None
        assert (stored.state, stored.attempts) == (DeliveryState.SENDING, 1)
