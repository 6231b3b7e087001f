"""The slot a scheduled firing belongs to: what two schedulers must agree on."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st
from taskiq import ScheduledTask

from entrypoints.worker.scheduler import firing_slot

instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


def scheduled(**timing: object) -> ScheduledTask:
    return ScheduledTask(
        task_name="t",
        labels={},
        args=[],
        kwargs={},
        schedule_id="t",
        **timing,  # type: ignore[arg-type]
    )


@given(instants, st.integers(min_value=0, max_value=59_999))
def test_a_cron_firing_belongs_to_its_minute(now: datetime, later_ms: int) -> None:
    minute_start = now.replace(second=0, microsecond=0)
    other = minute_start + timedelta(milliseconds=later_ms)
    task = scheduled(cron="* * * * *")

    assert firing_slot(task, now) == firing_slot(task, other) == minute_start


@given(instants, st.integers(min_value=1, max_value=3600))
def test_an_interval_firing_belongs_to_its_period(now: datetime, seconds: int) -> None:
    slot = firing_slot(scheduled(interval=seconds), now)

    assert slot <= now < slot + timedelta(seconds=seconds)
    assert int(slot.timestamp()) % seconds == 0
