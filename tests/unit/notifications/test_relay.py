"""RelayNotifications: delivers what is due, records every attempt, and sends nothing twice."""

import asyncio
from datetime import timedelta

from application.notifications.ports import DeliveryOutcome, OutgoingSms
from application.notifications.relay import RelayReport, message_id
from domain.notifications.model import DeliveryState
from domain.notifications.rules import LEASE_LOST
from tests.fakes import RecordingMailer
from tests.unit.notifications.kit import POLICY, Outbox


async def test_due_notifications_are_sent_and_recorded() -> None:
    outbox = Outbox()
    ada, ben = await outbox.emails("ada@example.edu", "ben@example.edu")
    [text] = await outbox.queue(outbox.sms_to("+447700900123"))

    report = await outbox.relay()

    assert report == RelayReport(claimed=3, sent=3)
    assert sorted(m.to for m in outbox.mailer.sent) == ["ada@example.edu", "ben@example.edu"]
    assert [m.to for m in outbox.sms.sent] == ["+447700900123"]
    for notification in (ada, ben, text):
        stored = outbox.stored(notification.id)
        assert stored.state is DeliveryState.SENT
        assert (stored.sent_at, stored.attempts, stored.claimed_until) == (
            outbox.clock.now(),
            1,
            None,
        )


async def test_the_messages_carry_the_rendered_template_and_a_stable_id() -> None:
    outbox = Outbox()
    [ada] = await outbox.queue(outbox.email("ada@example.edu", recipient_name="Ada Okafor"))
    [text] = await outbox.queue(outbox.sms_to("+447700900123"))

    await outbox.relay()

    [email] = outbox.mailer.sent
    assert (email.message_id, email.to, email.to_name) == (
        message_id(ada),
        "ada@example.edu",
        "Ada Okafor",
    )
    assert (email.subject, email.html is not None) == ("Fire drill", True)
    assert email.text.startswith("Fire drill\n\nTuesday at ten.")
    [sms] = outbox.sms.sent
    assert (sms.message_id, sms.text) == (
        message_id(text),
        "Fire drill\n\nTuesday at ten.\n\n-- \nCampus Residence",
    )


async def test_the_emails_of_a_batch_go_in_one_mailer_call_batch_after_batch() -> None:
    outbox = Outbox()
    relay = outbox.relay_with(outbox.mailer, batch_size=2)
    await outbox.emails(*(f"student{n}@example.edu" for n in range(5)))

    report = await relay()

    assert [len(batch) for batch in outbox.mailer.batches] == [2, 2, 1]
    assert report == RelayReport(claimed=5, sent=5)


async def test_nothing_is_sent_before_it_is_due_or_after_it_was_sent() -> None:
    outbox = Outbox()
    [later] = await outbox.queue(
        outbox.email("ada@example.edu", next_attempt_at=outbox.clock.now() + timedelta(hours=1))
    )

    assert await outbox.relay() == RelayReport()
    outbox.advance(hours=1)
    assert await outbox.relay() == RelayReport(claimed=1, sent=1)
    assert await outbox.relay() == RelayReport()

    assert len(outbox.mailer.sent) == 1
    assert outbox.stored(later.id).state is DeliveryState.SENT


async def test_a_refused_message_is_retried_with_backoff_then_fails_for_good() -> None:
    outbox = Outbox()
    bad, good = await outbox.emails("gone@example.edu", "ada@example.edu")
    outbox.mailer.failures["gone@example.edu"] = "550 mailbox unavailable"
    started = outbox.clock.now()

    assert await outbox.relay() == RelayReport(claimed=2, sent=1, retrying=1)
    first = outbox.stored(bad.id)
    assert (first.state, first.attempts) == (DeliveryState.QUEUED, 1)
    assert first.last_error == "550 mailbox unavailable"
    assert first.next_attempt_at == started + timedelta(minutes=1)
    assert outbox.stored(good.id).state is DeliveryState.SENT

    assert await outbox.relay() == RelayReport()  # not due yet
    outbox.advance(minutes=1)
    assert await outbox.relay() == RelayReport(claimed=1, retrying=1)
    assert outbox.stored(bad.id).next_attempt_at == outbox.clock.now() + timedelta(minutes=2)
    outbox.advance(minutes=2)
    assert await outbox.relay() == RelayReport(claimed=1, failed=1)

    final = outbox.stored(bad.id)
    assert (final.state, final.attempts) == (DeliveryState.FAILED, POLICY.max_attempts)
    outbox.advance(days=1)
    assert await outbox.relay() == RelayReport()
    assert [m.to for batch in outbox.mailer.batches for m in batch].count("gone@example.edu") == 3


async def test_a_failed_sms_is_retried_without_touching_the_emails() -> None:
    outbox = Outbox()
    [text] = await outbox.queue(outbox.sms_to("+447700900123"))
    [email] = await outbox.emails("ada@example.edu")
    outbox.sms.failures["+447700900123"] = "gateway answered 503"

    assert await outbox.relay() == RelayReport(claimed=2, sent=1, retrying=1)
    assert outbox.stored(text.id).last_error == "gateway answered 503"
    assert outbox.stored(email.id).state is DeliveryState.SENT


async def test_a_mailer_that_raises_fails_its_batch_for_a_retry_not_the_relay() -> None:
    outbox = Outbox()
    [email] = await outbox.emails("ada@example.edu")
    [text] = await outbox.queue(outbox.sms_to("+447700900123"))
    outbox.mailer.broken = ConnectionRefusedError("smtp.example.edu:587 refused")

    assert await outbox.relay() == RelayReport(claimed=2, sent=1, retrying=1)
    assert outbox.stored(email.id).last_error == (
        "ConnectionRefusedError: smtp.example.edu:587 refused"
    )
    assert outbox.stored(text.id).state is DeliveryState.SENT


async def test_a_message_that_cannot_be_rendered_fails_at_once() -> None:
    outbox = Outbox()
    [broken] = await outbox.queue(outbox.email("ada@example.edu", data={"title": "No body"}))
    [unknown] = await outbox.queue(outbox.email("ben@example.edu", kind="birthday"))

    assert await outbox.relay() == RelayReport(claimed=2, failed=2)

    assert outbox.mailer.batches == []
    assert "$body" in (outbox.stored(broken.id).last_error or "")
    assert "'birthday'" in (outbox.stored(unknown.id).last_error or "")
    assert outbox.stored(broken.id).attempts == 1


async def test_a_notification_held_by_a_dead_relay_is_sent_once_its_lease_runs_out() -> None:
    outbox = Outbox()
    [ada] = await outbox.emails("ada@example.edu")
    async with outbox.uow() as uow:  # a relay claims it, then dies before sending
        now = outbox.clock.now()
        await uow.outbox.claim_due(now, now + POLICY.lease, 10)
        await uow.commit()

    assert await outbox.relay() == RelayReport()  # the lease still holds it
    outbox.advance(minutes=5)
    assert await outbox.relay() == RelayReport(claimed=1, sent=1, released=1)
    assert await outbox.relay() == RelayReport()

    assert [m.message_id for m in outbox.mailer.sent] == [message_id(ada)]
    stored = outbox.stored(ada.id)
    assert (stored.state, stored.attempts) == (DeliveryState.SENT, 2)


async def test_a_lease_that_runs_out_on_the_last_attempt_fails_for_good() -> None:
    outbox = Outbox()
    [ada] = await outbox.queue(outbox.email("ada@example.edu", attempts=POLICY.max_attempts - 1))
    async with outbox.uow() as uow:
        now = outbox.clock.now()
        await uow.outbox.claim_due(now, now + POLICY.lease, 10)
        await uow.commit()
    outbox.advance(minutes=5)

    assert await outbox.relay() == RelayReport(released=1)

    stored = outbox.stored(ada.id)
    assert (stored.state, stored.last_error) == (DeliveryState.FAILED, LEASE_LOST)
    assert outbox.mailer.batches == []


async def test_sms_are_not_sent_once_the_lease_is_about_to_run_out() -> None:
    outbox = Outbox()
    first, second = await outbox.queue(
        outbox.sms_to("+447700900001"), outbox.sms_to("+447700900002")
    )
    slow_gateway = outbox.sms.send

    async def send_for_most_of_the_lease(message: OutgoingSms) -> DeliveryOutcome:
        outbox.advance(minutes=4, seconds=31)  # leaves less than a tenth of the 5 minutes
        return await slow_gateway(message)

    outbox.sms.send = send_for_most_of_the_lease  # type: ignore[method-assign]

    assert await outbox.relay() == RelayReport(claimed=2, sent=1)
    [sent] = outbox.sms.sent
    left = second if sent.message_id == message_id(first) else first
    assert outbox.stored(left.id).state is DeliveryState.SENDING  # untouched, not sent

    outbox.sms.send = slow_gateway  # type: ignore[method-assign]
    outbox.advance(minutes=1)  # its lease has run out: the next relay sends it
    assert await outbox.relay() == RelayReport(claimed=1, sent=1, released=1)
    assert sorted(m.to for m in outbox.sms.sent) == ["+447700900001", "+447700900002"]


async def test_two_relays_at_once_send_each_notification_once() -> None:
    outbox = Outbox()
    await outbox.emails(*(f"student{n}@example.edu" for n in range(7)))
    other_mailer = RecordingMailer()

    reports = await asyncio.gather(
        outbox.relay_with(outbox.mailer, batch_size=2)(),
        outbox.relay_with(other_mailer, batch_size=2)(),
    )

    sent = [m.to for m in outbox.mailer.sent + other_mailer.sent]
    assert sorted(sent) == sorted(f"student{n}@example.edu" for n in range(7))
    assert sum(report.sent for report in reports) == 7
    assert all(n.attempts == 1 for n in outbox.store.all())


async def test_a_relay_started_while_another_is_sending_finds_nothing_to_send() -> None:
    outbox = Outbox()
    [ada] = await outbox.emails("ada@example.edu")
    gate = asyncio.Event()
    held_mailer = RecordingMailer(gate)
    first = asyncio.create_task(outbox.relay_with(held_mailer)())
    await held_mailer.sending.wait()  # the first relay has claimed and is mid-send

    assert await outbox.relay() == RelayReport()  # the same task, delivered twice
    gate.set()
    assert await first == RelayReport(claimed=1, sent=1)

    assert outbox.mailer.batches == []
    assert [m.message_id for m in held_mailer.sent] == [message_id(ada)]


async def test_a_relay_that_outlived_its_lease_cannot_overwrite_the_outcome() -> None:
    outbox = Outbox()
    [ada] = await outbox.emails("ada@example.edu")
    gate = asyncio.Event()
    slow_mailer = RecordingMailer(gate)
    slow = asyncio.create_task(outbox.relay_with(slow_mailer)())
    await slow_mailer.sending.wait()
    outbox.advance(minutes=5)  # the slow relay's lease runs out: another takes over and sends
    assert await outbox.relay() == RelayReport(claimed=1, sent=1, released=1)

    slow_mailer.failures["ada@example.edu"] = "451 too late"
    gate.set()

    # The slow relay's failure is not recorded over the other's success.
    assert await slow == RelayReport(claimed=1)
    stored = outbox.stored(ada.id)
    assert (stored.state, stored.attempts, stored.last_error) == (DeliveryState.SENT, 2, None)
