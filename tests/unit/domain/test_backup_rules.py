"""Backup retention and archive checks: pure rules, tested over generated histories."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.backups.archive import NotRestorable, TamperedArchive, check_files, migration_path
from domain.backups.retention import (
    backups_to_delete,
    backups_to_keep,
    day_number,
    week_number,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
moments = st.integers(min_value=0, max_value=200 * 24 * 60).map(
    lambda minutes: START + timedelta(minutes=minutes)
)
histories = st.lists(moments, max_size=60, unique=True).map(
    lambda created: [(number, moment) for number, moment in enumerate(created)]
)
counts = st.integers(min_value=1, max_value=10)


@given(histories, counts, counts)
def test_the_newest_backup_is_always_kept(
    history: list[tuple[int, datetime]], daily: int, weekly: int
) -> None:
    keep = backups_to_keep(history, daily, weekly)

    if history:
        newest = max(history, key=lambda backup: backup[1])[0]
        assert newest in keep
    assert len(keep) <= daily + weekly


@given(histories, counts, counts)
def test_keep_and_delete_split_the_backups(
    history: list[tuple[int, datetime]], daily: int, weekly: int
) -> None:
    keep = backups_to_keep(history, daily, weekly)
    delete = backups_to_delete(history, daily, weekly)

    assert keep.isdisjoint(delete)
    assert keep | delete == {backup_id for backup_id, _ in history}


@given(histories, counts, counts)
def test_pruning_again_deletes_nothing_more(
    history: list[tuple[int, datetime]], daily: int, weekly: int
) -> None:
    delete = backups_to_delete(history, daily, weekly)
    remaining = [backup for backup in history if backup[0] not in delete]

    assert backups_to_delete(remaining, daily, weekly) == set()


@given(histories, counts, counts)
def test_each_of_the_latest_days_and_weeks_keeps_its_newest_backup(
    history: list[tuple[int, datetime]], daily: int, weekly: int
) -> None:
    keep = backups_to_keep(history, daily, weekly)

    for period, count in ((day_number, daily), (week_number, weekly)):
        latest = sorted({period(moment) for _, moment in history}, reverse=True)[:count]
        for number in latest:
            in_period = [backup for backup in history if period(backup[1]) == number]
            assert max(in_period, key=lambda backup: backup[1])[0] in keep


def test_a_week_of_nightly_backups_and_a_few_older_weeks() -> None:
    nightly = [(day, START + timedelta(days=day, hours=3)) for day in range(40)]

    keep = backups_to_keep(nightly, keep_daily=7, keep_weekly=4)

    # The last 7 nights, plus the newest backup of each of the 4 latest ISO weeks (two of which
    # the last 7 nights already cover).
    assert set(range(33, 40)) <= keep
    assert len(keep) == 9


def test_every_file_must_match_its_manifest_digest() -> None:
    expected = {"a.jsonl": "1", "b.jsonl": "2"}

    check_files(expected, {"a.jsonl": "1", "b.jsonl": "2"})
    with pytest.raises(TamperedArchive) as changed:
        check_files(expected, {"a.jsonl": "1", "b.jsonl": "X"})
    with pytest.raises(TamperedArchive) as missing:
        check_files(expected, {"a.jsonl": "1"})
    with pytest.raises(TamperedArchive) as added:
        check_files(expected, {**expected, "evil.jsonl": "3"})

    assert (changed.value.file, missing.value.file, added.value.file) == (
        "b.jsonl",
        "b.jsonl",
        "evil.jsonl",
    )
    assert "b.jsonl" in changed.value.message


def test_migration_path_runs_forward_from_the_archive_revision() -> None:
    known = ["0001", "0002", "0003"]

    assert migration_path("0003", known) == []
    assert migration_path("0001", known) == ["0002", "0003"]
    with pytest.raises(NotRestorable):
        migration_path("0099", known)
