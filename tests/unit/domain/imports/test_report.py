"""Report counts that add up, and the problem tally."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.imports.report import ERRORS_SAMPLE_SIZE, ImportCounts, ProblemTally
from domain.imports.rows import RowProblem

counts = st.integers(min_value=0, max_value=10**6)


@given(st.lists(counts, min_size=6, max_size=6))
def test_counts_that_add_up_are_accepted(buckets: list[int]) -> None:
    created, updated, unchanged, skipped, invalid, duplicates = buckets
    counted = ImportCounts(sum(buckets), created, updated, unchanged, skipped, invalid, duplicates)
    assert counted.total_rows == sum(buckets)


def test_counts_that_do_not_add_up_are_refused() -> None:
    with pytest.raises(ValueError, match="add up"):
        ImportCounts(total_rows=10, created=5, invalid=4)
    with pytest.raises(ValueError, match="negative"):
        ImportCounts(total_rows=0, created=1, invalid=-1)


def test_the_tally_keeps_a_sample_and_counts_everything() -> None:
    tally = ProblemTally()
    problems = [RowProblem(line, "Email", "", "email is required") for line in range(2, 52)]
    tally.add_problems(problems)
    tally.add_missing(["email", "student_id"])
    tally.add_missing(["email"])
    assert tally.problem_count == 50
    assert tally.errors_sample == problems[:ERRORS_SAMPLE_SIZE]
    assert tally.missing_fields == {"email": 2, "student_id": 1}
