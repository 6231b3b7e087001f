"""Allocation that loses races: a bed someone else took is set aside and the next one tried,
the free beds are read again only when the reading runs out, and a request always ends held,
waitlisted or rejected, never failed, however many races it loses."""

from uuid import UUID

from application.bookings.allocation import AllocateBooking
from application.bookings.notices import BookingChanges, InTransaction
from application.notifications.notifier import Notifier
from domain.bookings.allocation import CandidateBed
from domain.bookings.model import Booking, BookingState
from domain.jobs.model import JobState
from domain.shared.dates import DateRange
from tests.fakes import InMemoryAllocationQueries
from tests.unit.bookings.kit import HOLD, Campus


class CountingFacts(InMemoryAllocationQueries):
    def __init__(self, campus: Campus) -> None:
        super().__init__(campus.housing, campus.store)
        self.readings = 0

    async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
        self.readings += 1
        return await super().free_beds(stay)


class RivalChanges(BookingChanges):
    """Just before a hold is stored, a rival commits a hold of its own: on the very bed chosen,
    or (`same_resident`) for the same resident on another bed. `rivals` times at most."""

    def __init__(self, campus: Campus, rivals: int, same_resident: bool = False) -> None:
        notifier = Notifier(campus.clock, campus.tasks, {"login_url": "https://r.example"})
        super().__init__(campus.uow, campus.facts, notifier, campus.events, campus.checkouts)
        self._campus = campus
        self._rivals = rivals
        self._same_resident = same_resident
        self.taken: list[UUID] = []

    async def store(
        self,
        changed: Booking,
        expected: BookingState,
        notice: str | None = None,
        also: InTransaction | None = None,
    ) -> bool:
        if changed.state is BookingState.HELD and self._rivals > 0:
            self._rivals -= 1
            self._commit_rival(changed)
        return await super().store(changed, expected, notice, also)

    def _commit_rival(self, changed: Booking) -> None:
        campus = self._campus
        resident_id = changed.resident_id
        bed_id = changed.bed_id
        if self._same_resident:
            other_room = campus.room(campus.building(f"R{self._rivals}"), beds=1)
            bed_id = campus.beds_of(other_room)[0].id
        else:
            resident_id = campus.resident(f"rival{self._rivals}").id
            assert bed_id is not None
            self.taken.append(bed_id)
        now = campus.clock.now()
        rival = Booking(resident_id=resident_id, stay=changed.stay, requested_at=now)
        campus.put(rival, state=BookingState.HELD, bed_id=bed_id, hold_expires_at=now + HOLD)


def _allocator(campus: Campus, changes: BookingChanges, facts: CountingFacts) -> AllocateBooking:
    return AllocateBooking(campus.uow, facts, campus.jobs, changes, campus.clock, HOLD)


async def test_a_lost_bed_is_set_aside_and_the_next_tried_from_the_same_reading(
    campus: Campus,
) -> None:
    hall = campus.building()
    beds = [bed.id for n in range(3) for bed in campus.beds_of(campus.room(hall, f"10{n}"))]
    booking_id = await campus.requested(campus.resident())
    rivals, facts = RivalChanges(campus, rivals=3), CountingFacts(campus)

    booking = await _allocator(campus, rivals, facts)(booking_id)

    assert booking.state is BookingState.HELD
    assert booking.bed_id in set(beds) - set(rivals.taken)
    assert len(set(rivals.taken)) == 3
    assert facts.readings == 1


async def test_when_every_bed_read_is_lost_the_beds_are_read_again_then_it_waitlists(
    campus: Campus,
) -> None:
    campus.room(campus.building(), beds=2)
    booking_id = await campus.requested(campus.resident())
    requested = campus.stored(booking_id)
    rivals, facts = RivalChanges(campus, rivals=2), CountingFacts(campus)

    booking = await _allocator(campus, rivals, facts)(booking_id)

    assert booking.state is BookingState.WAITLISTED
    assert facts.readings == 2
    assert requested.job_id is not None
    assert campus.job_repository.jobs[requested.job_id].state is JobState.SUCCEEDED
    assert ("booking_waitlisted", "001@example.edu") in campus.emails()


async def test_losing_every_race_never_fails_the_request(campus: Campus) -> None:
    hall = campus.building()
    for number in range(5):
        campus.room(hall, f"{100 + number}", beds=number % 3 + 1)
    booking_id = await campus.requested(campus.resident())
    rivals = RivalChanges(campus, rivals=1_000)

    booking = await _allocator(campus, rivals, CountingFacts(campus))(booking_id)

    assert booking.state is BookingState.WAITLISTED
    beds = len(campus.housing.tables.beds)
    assert len(rivals.taken) == len(set(rivals.taken)) == beds  # one try per bed, no more


async def test_a_resident_booked_meanwhile_is_rejected_with_the_reason(campus: Campus) -> None:
    campus.room(campus.building())
    booking_id = await campus.requested(campus.resident())
    rivals = RivalChanges(campus, rivals=1, same_resident=True)

    booking = await _allocator(campus, rivals, CountingFacts(campus))(booking_id)

    assert booking.state is BookingState.REJECTED
    assert booking.reason == "the resident already has an active booking for these dates"
    assert campus.stored(booking_id) == booking
    assert ("booking_rejected", "001@example.edu") in campus.emails()


async def test_a_request_decided_by_another_run_meanwhile_is_left_as_that_run_left_it(
    campus: Campus,
) -> None:
    campus.room(campus.building())
    booking_id = await campus.requested(campus.resident())

    class CancellingFacts(CountingFacts):
        async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
            stored = campus.stored(booking_id)
            campus.put(stored, state=BookingState.CANCELLED, reason="changed plans")
            return await super().free_beds(stay)

    booking = await _allocator(campus, campus.changes, CancellingFacts(campus))(booking_id)

    assert booking == campus.stored(booking_id)
    assert booking.state is BookingState.CANCELLED
    assert campus.emails() == []


async def test_two_runs_at_once_decide_once_and_both_report_the_same(campus: Campus) -> None:
    campus.room(campus.building(), beds=1)
    booking_id = await campus.requested(campus.resident())
    second_run: list[Booking] = []

    class SweepMeanwhile(CountingFacts):
        async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
            free = await super().free_beds(stay)
            if not second_run:  # the resume sweep runs the same allocation to its end
                second_run.append(await campus.allocate(booking_id))
            return free

    first_run = await _allocator(campus, campus.changes, SweepMeanwhile(campus))(booking_id)

    assert first_run == second_run[0] == campus.stored(booking_id)
    assert first_run.state is BookingState.HELD
    job_id = campus.stored(booking_id).job_id
    assert job_id is not None
    assert campus.job_repository.jobs[job_id].state is JobState.SUCCEEDED
    assert campus.emails() == [("booking_held", "001@example.edu")]
