"""Which backups to keep: the newest of each of the last `keep_daily` days that have one, and
the newest of each of the last `keep_weekly` ISO weeks that have one. The rest may be deleted.

Days and weeks are counted over the backups themselves, not the calendar, so a campus whose
server was off for a month still keeps its last good backups rather than none."""

from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import datetime
from typing import TypeVar

BackupId = TypeVar("BackupId", bound=Hashable)


def day_number(moment: datetime) -> int:
    return moment.date().toordinal()


def week_number(moment: datetime) -> int:
    """The day number of the Monday that starts the moment's ISO week."""
    day = moment.date()
    return day.toordinal() - day.weekday()


def _newest_per_period(
    backups: Sequence[tuple[BackupId, datetime]], period: Callable[[datetime], int], count: int
) -> set[BackupId]:
    newest: dict[int, tuple[datetime, BackupId]] = {}
    for backup_id, created_at in backups:
        key = period(created_at)
        if key not in newest or created_at > newest[key][0]:
            newest[key] = (created_at, backup_id)
    latest_periods = sorted(newest, reverse=True)[:count]
    return {newest[key][1] for key in latest_periods}


def backups_to_keep(
    backups: Iterable[tuple[BackupId, datetime]], keep_daily: int, keep_weekly: int
) -> set[BackupId]:
    listed = list(backups)
    return _newest_per_period(listed, day_number, keep_daily) | _newest_per_period(
        listed, week_number, keep_weekly
    )


def backups_to_delete(
    backups: Iterable[tuple[BackupId, datetime]], keep_daily: int, keep_weekly: int
) -> set[BackupId]:
    listed = list(backups)
    keep = backups_to_keep(listed, keep_daily, keep_weekly)
    return {backup_id for backup_id, _ in listed} - keep
