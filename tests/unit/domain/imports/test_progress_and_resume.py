"""Pure rules of progress estimates, resuming lost imports and rejected rows."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.imports.chunks import rejected_row, sort_voter_rows
from domain.imports.duplicates import DuplicateDetector
from domain.imports.headers import ImportKind, map_headers
from domain.imports.model import MAX_ATTEMPTS
from domain.imports.progress import data_rows_estimate, estimate_rows
from domain.imports.resume import STALLED_AFTER, ResumeAction, resume_action
from domain.imports.rows import RowProblem

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
sizes = st.integers(min_value=0, max_value=10**9)


@given(st.integers(min_value=0, max_value=10**6), sizes, sizes)
def test_an_estimate_is_never_below_the_rows_read(rows: int, read: int, total: int) -> None:
    estimate = estimate_rows(rows, read, total)

    assert estimate is None or estimate >= rows
    if rows and read >= total and read:
        assert estimate == rows


def test_an_estimate_extrapolates_from_the_share_of_bytes_read() -> None:
    assert estimate_rows(1000, 25_000, 100_000) == 4000
    assert estimate_rows(0, 0, 100) is None


@given(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), st.integers(0, 10**6))
def test_data_rows_are_never_fewer_than_those_done(table_rows: int | None, done: int) -> None:
    estimate = data_rows_estimate(table_rows, done)

    assert estimate is None if table_rows is None else estimate >= done  # type: ignore[operator]


@given(
    st.sampled_from(["queued", "running", "succeeded", "failed"]),
    st.integers(min_value=0, max_value=120),
    st.integers(min_value=0, max_value=5),
)
def test_resume_waits_requeues_or_gives_up(state: str, idle_minutes: int, resumes: int) -> None:
    last_moved = NOW - timedelta(minutes=idle_minutes)

    action = resume_action(state, last_moved, resumes, NOW)

    if state not in ("queued", "running") or timedelta(minutes=idle_minutes) < STALLED_AFTER:
        assert action is ResumeAction.WAIT
    elif resumes + 1 >= MAX_ATTEMPTS:
        assert action is ResumeAction.GIVE_UP
    else:
        assert action is ResumeAction.REQUEUE


def test_the_third_lost_task_gives_up() -> None:
    stalled = NOW - STALLED_AFTER
    assert resume_action("running", stalled, 0, NOW) is ResumeAction.REQUEUE
    assert resume_action("queued", stalled, 1, NOW) is ResumeAction.REQUEUE
    assert resume_action("running", stalled, 2, NOW) is ResumeAction.GIVE_UP


cells = st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["a@b.edu", "1", "x@y.edu"]))


@given(st.lists(st.tuples(cells, cells, cells), max_size=30))
def test_every_row_not_stored_is_rejected_once_with_its_cells(rows: list[tuple]) -> None:
    mapping = map_headers(ImportKind.VOTERS, ["student_id", "email", "year"])
    numbered = [(line, list(cells)) for line, cells in enumerate(rows, start=2)]

    chunk = sort_voter_rows(numbered, mapping, DuplicateDetector(), True)  # type: ignore[arg-type]

    assert len(chunk.rejected) == chunk.invalid + chunk.duplicates
    assert len({row.line for row in chunk.rejected}) == len(chunk.rejected)
    for row in chunk.rejected:
        assert len(row.cells) == 3
        assert row.error


@given(st.lists(st.text(max_size=5), max_size=8), st.integers(min_value=0, max_value=8))
def test_a_rejected_row_aligns_under_the_header(values: list[str], width: int) -> None:
    row = rejected_row(2, values, [RowProblem(2, "Email", "", "email is required")])

    aligned = row.aligned(width)

    assert len(aligned) == width + 1
    assert aligned[-1] == "Email: email is required"
