"""Duplicate ids and conflicting emails within one file."""

from hypothesis import given
from hypothesis import strategies as st

from domain.imports.duplicates import DuplicateDetector, DuplicateKind


def test_a_repeated_id_names_both_lines() -> None:
    detector = DuplicateDetector()
    assert detector.check(2, "001", "a@uni.edu") is None
    found = detector.check(9, "001", "b@uni.edu")
    assert found is not None
    assert (found.kind, found.line, found.first_line) == (DuplicateKind.DUPLICATE, 9, 2)
    assert "line 2" in found.message
    assert found.problem("Matric No").column == "Matric No"


def test_one_email_on_two_ids_is_a_conflict_naming_both_lines() -> None:
    detector = DuplicateDetector()
    detector.check(2, "001", "a@uni.edu")
    detector.check(3, "002", "b@uni.edu")
    found = detector.check(5, "003", "a@uni.edu")
    assert found is not None
    assert (found.kind, found.field, found.line, found.first_line) == (
        DuplicateKind.CONFLICT,
        "email",
        5,
        2,
    )


def test_a_rejected_row_is_not_remembered() -> None:
    detector = DuplicateDetector()
    detector.check(2, "001", "a@uni.edu")
    detector.check(3, "002", "a@uni.edu")
    # 002 was refused, so it is new here and its own email is free.
    assert detector.check(4, "002", "c@uni.edu") is None
    assert len(detector) == 2


@given(st.lists(st.tuples(st.sampled_from("abcdef"), st.sampled_from("uvwxyz"))))
def test_accepted_rows_have_distinct_ids_and_emails(rows: list[tuple[str, str]]) -> None:
    detector = DuplicateDetector()
    accepted = [
        (sid, email)
        for line, (sid, email) in enumerate(rows, start=2)
        if detector.check(line, sid, email) is None
    ]
    ids = [sid for sid, _ in accepted]
    emails = [email for _, email in accepted]
    assert len(set(ids)) == len(ids)
    assert len(set(emails)) == len(emails)
    assert len(accepted) == len(detector)
