"""The directory sync's reconcile rule, over generated directories and residents."""

import dataclasses
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.directory.model import DirectoryEntry, KnownResident, SyncPlan
from domain.directory.rules import parse_entry, reconcile
from domain.housing.model import DIRECTORY_FIELDS
from domain.shared.errors import InvalidValue

RUN = UUID(int=1)
student_ids = st.sampled_from([f"S{number:03d}" for number in range(12)])
departments = st.sampled_from([None, "Physics", "Law"])
entries = st.builds(
    DirectoryEntry,
    student_id=student_ids,
    first_name=st.sampled_from(["Ada", "Ben"]),
    last_name=st.sampled_from(["Okafor", "Lee"]),
    email=st.just(""),  # filled from the student id: one student, one address
    department=departments,
    year_of_study=st.sampled_from([None, 1, 2]),
).map(lambda entry: dataclasses.replace(entry, email=f"{entry.student_id.lower()}@example.edu"))


@st.composite
def residents(draw: st.DrawFn) -> list[KnownResident]:
    chosen = draw(st.lists(student_ids, unique=True, max_size=10))
    return [
        KnownResident(
            id=uuid4(),
            student_id=student_id,
            values=draw(entries).values()
            | {"email": f"{student_id.lower()}@example.edu", "phone": None},
            former=draw(st.booleans()),
            locked_fields=frozenset(draw(st.sets(st.sampled_from(DIRECTORY_FIELDS), max_size=2))),
            missed_runs=draw(st.integers(min_value=0, max_value=3)),
            last_missed_run=draw(st.sampled_from([None, RUN, UUID(int=2)])),
        )
        for student_id in chosen
    ]


def _applied(plan: SyncPlan, known: list[KnownResident]) -> list[KnownResident]:
    """What the store does with a plan, on the rule's own terms."""
    updates = {update.resident_id: update.changes for update in plan.updates}
    after = []
    for resident in known:
        values = resident.values | {
            name: new for name, (_, new) in updates.get(resident.id, {}).items()
        }
        missed = plan.absences.get(resident.id, resident.missed_runs)
        after.append(
            dataclasses.replace(
                resident,
                values=values,
                former=resident.former or resident.id in plan.deactivations,
                missed_runs=0 if resident.id in plan.returned else missed,
                last_missed_run=RUN if resident.id in plan.absences else resident.last_missed_run,
            )
        )
    for entry in plan.creates:
        after.append(KnownResident(id=uuid4(), student_id=entry.student_id, values=entry.values()))
    return after


@given(st.lists(entries, max_size=15), residents(), st.integers(min_value=1, max_value=4))
def test_every_distinct_student_is_created_updated_or_unchanged_once(
    feed: list[DirectoryEntry], known: list[KnownResident], absence_runs: int
) -> None:
    plan = reconcile(feed, known, RUN, absence_runs)

    distinct = {entry.student_id for entry in feed}
    assert len(plan.creates) + len(plan.updates) + plan.unchanged == len(distinct)
    assert {entry.student_id for entry in plan.creates}.isdisjoint(
        {resident.student_id for resident in known}
    )
    assert plan.refused == []  # every generated student has an address of their own


@given(st.lists(entries, max_size=15), residents(), st.integers(min_value=1, max_value=4))
def test_locked_fields_are_never_changed(
    feed: list[DirectoryEntry], known: list[KnownResident], absence_runs: int
) -> None:
    plan = reconcile(feed, known, RUN, absence_runs)

    locks = {resident.id: resident.locked_fields for resident in known}
    for update in plan.updates:
        assert update.changes
        assert locks[update.resident_id].isdisjoint(update.changes)


@given(st.lists(entries, max_size=15), residents(), st.integers(min_value=1, max_value=4))
def test_the_same_run_applied_twice_changes_nothing_more(
    feed: list[DirectoryEntry], known: list[KnownResident], absence_runs: int
) -> None:
    first = reconcile(feed, known, RUN, absence_runs)
    again = reconcile(feed, _applied(first, known), RUN, absence_runs)

    assert (again.creates, again.updates, again.returned) == ([], [], [])
    assert set(again.deactivations) <= set(first.deactivations)
    assert again.absences == {
        resident_id: missed
        for resident_id, missed in first.absences.items()
        if resident_id not in first.deactivations
    }


@given(st.lists(entries, max_size=15), residents(), st.integers(min_value=1, max_value=4))
def test_only_residents_absent_for_enough_runs_become_former(
    feed: list[DirectoryEntry], known: list[KnownResident], absence_runs: int
) -> None:
    plan = reconcile(feed, known, RUN, absence_runs)

    present = {entry.student_id for entry in feed}
    for resident in known:
        if resident.student_id in present or resident.former:
            assert resident.id not in plan.absences
            assert resident.id not in plan.deactivations
        else:
            counted = resident.missed_runs + (resident.last_missed_run != RUN)
            assert plan.absences[resident.id] == counted
            assert (resident.id in plan.deactivations) == (counted >= absence_runs)


def test_three_absent_runs_in_a_row_make_a_former_resident() -> None:
    resident = KnownResident(id=uuid4(), student_id="S1", values={})
    known = [resident]
    for run in range(1, 4):
        plan = reconcile([], known, UUID(int=run + 10), absence_runs=3)
        known = [
            dataclasses.replace(
                resident,
                missed_runs=plan.absences[resident.id],
                last_missed_run=UUID(int=run + 10),
            )
        ]
        assert (resident.id in plan.deactivations) == (run == 3)


def test_an_email_used_by_another_student_is_refused() -> None:
    ada = KnownResident(id=uuid4(), student_id="S1", values={"email": "ada@example.edu"})
    entry = DirectoryEntry("S2", "Ben", "Lee", "ada@example.edu")

    plan = reconcile([entry], [ada], RUN, absence_runs=3)

    assert plan.creates == []
    assert plan.refused == [("S2", "email ada@example.edu is used by S1")]


def test_entries_are_read_by_the_registration_rules() -> None:
    entry = parse_entry(
        {
            "student_id": " 00123 ",
            "first_name": "Ada",
            "last_name": "Okafor",
            "email": "Ada@Example.EDU",
            "phone": "+44 7700 900123",
            "year_of_study": "2",
            "faculty": "ignored",
        }
    )

    assert entry == DirectoryEntry(
        "00123", "Ada", "Okafor", "ada@example.edu", "+447700900123", None, 2
    )
    with pytest.raises(InvalidValue) as refused:
        parse_entry({"student_id": "1", "first_name": "A", "last_name": "B", "email": "nope"})
    assert refused.value.field == "email"
