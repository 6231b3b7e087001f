"""Pure rules of jobs: the state machine under any sequence of steps, progress, kinds, access."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.model import Principal, Role
from domain.jobs import rules
from domain.jobs.errors import IllegalTransition
from domain.jobs.model import Job, JobState
from domain.jobs.rules import (
    MAX_ERROR_LENGTH,
    TRANSITIONS,
    JobAction,
    check_kind,
    may_read_job,
    new_job,
    next_state,
    short_error,
)
from domain.shared.errors import InvalidValue

T0 = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Step:
    action: JobAction
    processed: int = 0
    total: int | None = None


steps = st.one_of(
    st.builds(Step, st.just(JobAction.START)),
    st.builds(Step, st.just(JobAction.SUCCEED)),
    st.builds(Step, st.just(JobAction.FAIL)),
    st.builds(
        Step,
        st.just(JobAction.PROGRESS),
        st.integers(min_value=-2, max_value=50),
        st.none() | st.integers(min_value=-2, max_value=50),
    ),
)


def apply(job: Job, step: Step, now: datetime) -> Job:
    if step.action is JobAction.START:
        return rules.start(job, now)
    if step.action is JobAction.PROGRESS:
        return rules.report_progress(job, step.processed, step.total, now)
    if step.action is JobAction.SUCCEED:
        return rules.succeed(job, {"rows": 3}, now)
    return rules.fail(job, "the file is not a spreadsheet", now)


def check_invariants(job: Job) -> None:
    assert 0 <= job.percent <= 100
    assert job.processed >= 0
    assert job.total is None or job.processed <= job.total
    assert job.finished == (job.finished_at is not None)
    assert job.created_at <= job.updated_at
    if job.state is JobState.QUEUED:
        assert (job.attempts, job.started_at) == (0, None)
    if job.state is JobState.RUNNING:
        assert job.started_at is not None
        assert job.attempts >= 1
        assert (job.result, job.error) == (None, None)
    if job.state is JobState.SUCCEEDED:
        assert job.percent == 100
        assert job.result is not None
        assert job.error is None
    if job.state is JobState.FAILED:
        assert job.error


@given(st.lists(steps, max_size=25))
def test_any_sequence_of_steps_keeps_a_job_consistent(sequence: list[Step]) -> None:
    job = new_job("imports.voters", {"file": "roll.xlsx"}, None, T0)
    first = job
    starts = 0
    for minute, step in enumerate(sequence, start=1):
        before = job
        try:
            job = apply(job, step, T0 + timedelta(minutes=minute))
        except (IllegalTransition, InvalidValue):
            assert job == before  # a refused step changes nothing
            continue
        if step.action is JobAction.START:
            starts += 1
        assert job.state is TRANSITIONS[(before.state, step.action)]
        assert job.updated_at == T0 + timedelta(minutes=minute)
        check_invariants(job)
    assert job.attempts == starts
    assert (job.id, job.kind, job.payload, job.created_at) == (
        first.id,
        first.kind,
        first.payload,
        first.created_at,
    )


@given(st.sampled_from(JobState), st.sampled_from(JobAction))
def test_a_state_moves_only_where_the_table_says(state: JobState, action: JobAction) -> None:
    if (state, action) in TRANSITIONS:
        assert next_state(state, action) is TRANSITIONS[(state, action)]
    else:
        with pytest.raises(IllegalTransition) as refused:
            next_state(state, action)
        assert refused.value.field == "state"
        assert refused.value.message == f"a {state.value} job cannot {action.value}"


def test_success_is_final_and_a_failed_job_may_be_retried() -> None:
    assert {action for (state, action) in TRANSITIONS if state is JobState.SUCCEEDED} == set()
    assert next_state(JobState.FAILED, JobAction.START) is JobState.RUNNING
    assert next_state(JobState.RUNNING, JobAction.START) is JobState.RUNNING  # redelivered


def test_a_retry_forgets_the_failed_attempt() -> None:
    job = rules.start(new_job("backups.run", {}, None, T0), T0)
    job = rules.report_progress(job, 4, 10, T0)
    failed = rules.fail(job, "disk full", T0 + timedelta(minutes=1))
    retried = rules.start(failed, T0 + timedelta(minutes=2))

    assert (failed.state, failed.error, failed.finished_at) == (
        JobState.FAILED,
        "disk full",
        T0 + timedelta(minutes=1),
    )
    assert (retried.state, retried.attempts, retried.error, retried.finished_at) == (
        JobState.RUNNING,
        2,
        None,
        None,
    )
    assert (retried.processed, retried.total, retried.started_at) == (
        0,
        None,
        T0 + timedelta(minutes=2),
    )


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_percent_rounds_down_so_100_means_done(processed: int, total: int) -> None:
    running = rules.start(new_job("imports.voters", {}, None, T0), T0)
    processed = min(processed, total)
    job = rules.report_progress(running, processed, total, T0)

    assert job.percent == processed * 100 // total
    assert (job.percent == 100) == (processed == total)
    assert rules.succeed(job, {}, T0).percent == 100
    assert rules.succeed(job, {}, T0).processed == total


def test_progress_without_a_total_or_of_nothing() -> None:
    running = rules.start(new_job("imports.voters", {}, None, T0), T0)

    assert rules.report_progress(running, 7, None, T0).percent == 0
    assert rules.report_progress(running, 0, 0, T0).percent == 100  # an empty file is done


@pytest.mark.parametrize(
    ("processed", "total", "field"),
    [(-1, None, "processed"), (0, -1, "total"), (11, 10, "processed")],
)
def test_progress_that_cannot_be_is_refused(processed: int, total: int | None, field: str) -> None:
    running = rules.start(new_job("imports.voters", {}, None, T0), T0)

    with pytest.raises(InvalidValue) as refused:
        rules.report_progress(running, processed, total, T0)
    assert refused.value.field == field


kind_words = st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True)


@given(st.lists(kind_words, min_size=1, max_size=4))
def test_kinds_are_lower_case_dotted_words(words: list[str]) -> None:
    assert check_kind(".".join(words)) == ".".join(words)


@pytest.mark.parametrize(
    "kind", ["", "Imports", "imports.", ".imports", "imports..run", "9lives", "a b", "x" * 65]
)
def test_other_kinds_are_refused(kind: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        new_job(kind, {}, None, T0)
    assert refused.value.field == "kind"


@given(st.text(max_size=3 * MAX_ERROR_LENGTH))
def test_errors_are_never_empty_nor_unbounded(error: str) -> None:
    shortened = short_error(error)

    assert 0 < len(shortened) <= MAX_ERROR_LENGTH
    if error.strip() and len(error.strip()) <= MAX_ERROR_LENGTH:
        assert shortened == error.strip()


principals = st.builds(
    Principal, user_id=st.uuids(), role=st.sampled_from(Role), resident_id=st.none() | st.uuids()
)


@given(principals, st.none() | st.uuids(), st.booleans())
def test_the_office_reads_every_job_anyone_else_only_their_own(
    caller: Principal, created_by: UUID | None, own: bool
) -> None:
    if own:
        created_by = caller.user_id

    expected = caller.role in (Role.ADMIN, Role.STAFF) or created_by == caller.user_id
    assert may_read_job(caller, created_by) is expected


def test_a_system_job_is_the_offices() -> None:
    assert may_read_job(Principal(uuid4(), Role.STAFF), None)
    assert not may_read_job(Principal(uuid4(), Role.TECHNICIAN), None)


def test_transitions_return_a_new_job_and_leave_the_old_one_alone() -> None:
    queued = new_job("imports.voters", {}, None, T0)
    started = rules.start(queued, T0 + timedelta(seconds=1))
    payload: dict[str, Any] = {"n": 1}
    done = rules.succeed(started, payload, T0 + timedelta(seconds=2))

    assert (queued.state, started.state, done.state) == (
        JobState.QUEUED,
        JobState.RUNNING,
        JobState.SUCCEEDED,
    )
    assert queued.attempts == 0
    assert done.result == {"n": 1}
