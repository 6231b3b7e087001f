"""JobReporter, GetJob and AuthorizeSubscription with in-memory fakes."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.events.subscriptions import AuthorizeSubscription, TopicRefused
from application.jobs.jobs import GetJob
from application.jobs.reporter import JobReporter
from domain.accounts.model import Principal, Role
from domain.jobs.errors import IllegalTransition
from domain.jobs.model import JobState
from domain.shared.errors import InvalidValue, NotFound
from tests.fakes import FixedClock, InMemoryJobRepository, RecordingEventBus

WARDEN = Principal(uuid4(), Role.STAFF)
ADA = Principal(uuid4(), Role.RESIDENT, resident_id=uuid4())
GRACE = Principal(uuid4(), Role.RESIDENT, resident_id=uuid4())
FIXER = Principal(uuid4(), Role.TECHNICIAN)


@dataclass
class Jobs:
    clock: FixedClock = field(default_factory=FixedClock)
    repository: InMemoryJobRepository = field(default_factory=InMemoryJobRepository)
    events: RecordingEventBus = field(default_factory=RecordingEventBus)

    @property
    def reporter(self) -> JobReporter:
        return JobReporter(self.repository, self.events, self.clock)

    def tick(self) -> None:
        self.clock.advance(timedelta(seconds=1))

    def events_of(self, job_id: UUID) -> list[dict[str, Any]]:
        return self.events.on(f"jobs.{job_id}")


@pytest.fixture
def jobs() -> Jobs:
    return Jobs()


async def test_create_records_a_queued_job_and_announces_it(jobs: Jobs) -> None:
    job_id = await jobs.reporter.create("imports.voters", {"upload": "roll.xlsx"}, ADA.user_id)

    stored = await jobs.repository.get(job_id)
    assert stored is not None
    assert (stored.kind, stored.state, stored.created_by) == (
        "imports.voters",
        JobState.QUEUED,
        ADA.user_id,
    )
    assert await jobs.reporter.payload(job_id) == {"upload": "roll.xlsx"}
    [announced] = jobs.events_of(job_id)
    assert announced["type"] == "job"
    assert (announced["id"], announced["state"], announced["progress"]) == (
        str(job_id),
        "queued",
        0,
    )


async def test_a_job_runs_reports_progress_and_succeeds_each_step_saved_then_published(
    jobs: Jobs,
) -> None:
    job_id = await jobs.reporter.create("imports.voters")
    steps = []
    for step in (
        lambda: jobs.reporter.start(job_id),
        lambda: jobs.reporter.progress(job_id, 100, 400),
        lambda: jobs.reporter.progress(job_id, 300, 400),
        lambda: jobs.reporter.succeed(job_id, {"imported": 400, "skipped": 0}),
    ):
        jobs.tick()
        view = await step()
        steps.append(view)
        stored = await jobs.repository.get(job_id)
        assert stored is not None
        assert (stored.state, stored.processed) == (view.state, view.processed)

    events = jobs.events_of(job_id)[1:]  # after the "queued" announcement
    assert [(e["state"], e["progress"]) for e in events] == [
        ("running", 0),
        ("running", 25),
        ("running", 75),
        ("succeeded", 100),
    ]
    assert events[-1]["result"] == {"imported": 400, "skipped": 0}
    assert events[-1]["finished_at"] == jobs.clock.now().isoformat().replace("+00:00", "Z")
    # What GET /api/jobs/{id} answers is what the last event said.
    read = await GetJob(jobs.repository)(WARDEN, job_id)
    assert read == steps[-1]


async def test_a_failure_is_recorded_with_its_reason_and_can_be_retried(jobs: Jobs) -> None:
    job_id = await jobs.reporter.create("backups.run")
    await jobs.reporter.start(job_id)

    failed = await jobs.reporter.fail(job_id, "  the disk is full  ")
    retried = await jobs.reporter.start(job_id)

    assert (failed.state, failed.error, failed.attempts) == (
        JobState.FAILED,
        "the disk is full",
        1,
    )
    assert (retried.state, retried.error, retried.attempts) == (JobState.RUNNING, None, 2)


async def test_a_refused_step_changes_nothing_and_announces_nothing(jobs: Jobs) -> None:
    job_id = await jobs.reporter.create("imports.voters")
    await jobs.reporter.start(job_id)
    await jobs.reporter.succeed(job_id)
    before = (await jobs.repository.get(job_id), len(jobs.events.published))

    with pytest.raises(IllegalTransition):
        await jobs.reporter.start(job_id)  # a redelivered task after success
    with pytest.raises(IllegalTransition):
        await jobs.reporter.progress(job_id, 1, 2)
    with pytest.raises(IllegalTransition):
        await jobs.reporter.fail(job_id, "late")

    assert (await jobs.repository.get(job_id), len(jobs.events.published)) == before


async def test_impossible_progress_is_refused_naming_the_field(jobs: Jobs) -> None:
    job_id = await jobs.reporter.create("imports.voters")
    await jobs.reporter.start(job_id)

    with pytest.raises(InvalidValue) as refused:
        await jobs.reporter.progress(job_id, 11, 10)

    assert refused.value.field == "processed"


async def test_payload_and_result_are_stored_as_plain_json(jobs: Jobs) -> None:
    resident_id = uuid4()
    job_id = await jobs.reporter.create(
        "bookings.export", {"resident": resident_id, "from": date(2026, 9, 1), "fee": Decimal("5")}
    )
    await jobs.reporter.start(job_id)
    done = await jobs.reporter.succeed(job_id, {"at": datetime(2026, 9, 1, tzinfo=UTC)})

    assert await jobs.reporter.payload(job_id) == {
        "resident": str(resident_id),
        "from": "2026-09-01",
        "fee": "5",
    }
    assert done.result == {"at": "2026-09-01T00:00:00Z"}


async def test_values_that_are_not_json_are_refused(jobs: Jobs) -> None:
    with pytest.raises(InvalidValue) as refused:
        await jobs.reporter.create("imports.voters", {"handle": object()})

    assert refused.value.field == "payload"
    assert jobs.repository.jobs == {}


async def test_an_unknown_job_is_not_found(jobs: Jobs) -> None:
    with pytest.raises(NotFound):
        await jobs.reporter.start(uuid4())
    with pytest.raises(NotFound):
        await GetJob(jobs.repository)(WARDEN, uuid4())


@pytest.mark.parametrize(
    ("caller", "created_by", "visible"),
    [
        (WARDEN, ADA, True),
        (WARDEN, None, True),
        (ADA, ADA, True),
        (GRACE, ADA, False),
        (FIXER, FIXER, True),
        (FIXER, None, False),
    ],
    ids=["office-any", "office-system", "own", "other-resident", "own-technician", "system"],
)
async def test_get_job_shows_a_job_to_the_office_and_its_creator_only(
    jobs: Jobs, caller: Principal, created_by: Principal | None, visible: bool
) -> None:
    job_id = await jobs.reporter.create(
        "imports.voters", created_by=None if created_by is None else created_by.user_id
    )
    get_job = GetJob(jobs.repository)

    if visible:
        assert (await get_job(caller, job_id)).id == job_id
    else:
        with pytest.raises(NotFound):
            await get_job(caller, job_id)


async def test_subscriptions_follow_the_same_rules_and_name_the_topic_one_way(
    jobs: Jobs,
) -> None:
    authorize = AuthorizeSubscription(jobs.repository)
    adas_job = await jobs.reporter.create("imports.voters", created_by=ADA.user_id)
    assert ADA.resident_id is not None

    assert await authorize(ADA, f"jobs.{str(adas_job).upper()}") == f"jobs.{adas_job}"
    assert await authorize(WARDEN, f"jobs.{adas_job}") == f"jobs.{adas_job}"
    assert await authorize(ADA, f"residents.{ADA.resident_id}") == f"residents.{ADA.resident_id}"
    assert await authorize(WARDEN, "staff.maintenance") == "staff.maintenance"
    for caller, topic in [
        (GRACE, f"jobs.{adas_job}"),
        (WARDEN, f"jobs.{uuid4()}"),
        (GRACE, f"residents.{ADA.resident_id}"),
        (FIXER, "staff.maintenance"),
    ]:
        with pytest.raises(TopicRefused) as refused:
            await authorize(caller, topic)
        assert refused.value.message == f"{topic} is not a topic you may follow"
    with pytest.raises(InvalidValue):
        await authorize(WARDEN, "everything")
