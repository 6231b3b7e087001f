"""LoginLimits: fixed windows counted from the epoch, and how long a throttled client waits."""

import zoneinfo
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from application.accounts.model import LoginLimits

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Fixed offsets always; named zones (with daylight saving time) where the system has tzdata.
NAMED_ZONES = sorted(zoneinfo.available_timezones())
zones = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)
if NAMED_ZONES:
    zones = zones | st.sampled_from(NAMED_ZONES).map(zoneinfo.ZoneInfo)

# Any aware datetime whose UTC instant datetime can still hold, a window away on either side.
instants = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=zones
)
limits = st.builds(
    LoginLimits,
    window=st.integers(min_value=1, max_value=86_400).map(lambda s: timedelta(seconds=s)),
)


@given(now=instants, limits=limits)
def test_the_window_start_is_aligned_and_holds_now(now: datetime, limits: LoginLimits) -> None:
    start = limits.window_start(now)

    assert (start - EPOCH) % limits.window == timedelta(0)
    assert start <= now
    assert now - start < limits.window


@given(now=instants, limits=limits, data=st.data())
def test_every_instant_of_a_window_shares_its_start(
    now: datetime, limits: LoginLimits, data: st.DataObject
) -> None:
    start = limits.window_start(now)
    micros = limits.window // timedelta(microseconds=1)
    other = start + timedelta(microseconds=data.draw(st.integers(0, micros - 1)))

    assert limits.window_start(other) == start
    assert limits.window_start(start + limits.window) == start + limits.window


@given(now=instants, limits=limits)
def test_retry_after_reaches_the_next_window(now: datetime, limits: LoginLimits) -> None:
    retry_after = limits.retry_after_seconds(now)
    # Elapsed time, not wall-clock time: a daylight saving change must not stretch the wait.
    later = now.astimezone(UTC) + timedelta(seconds=retry_after)

    assert 1 <= retry_after <= limits.window.total_seconds()
    assert limits.window_start(later) == limits.window_start(now) + limits.window


def test_fifteen_minute_windows_start_on_the_quarter_hour() -> None:
    limits = LoginLimits()
    now = datetime(2026, 9, 1, 9, 7, 30, 250_000, tzinfo=UTC)

    assert limits.window_start(now) == datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
    assert limits.retry_after_seconds(now) == 450
    assert limits.retry_after_seconds(datetime(2026, 9, 1, 9, 0, tzinfo=UTC)) == 900
    assert limits.retry_after_seconds(datetime(2026, 9, 1, 9, 14, 59, 999_999, tzinfo=UTC)) == 1


def test_instants_just_before_the_epoch_and_far_from_it_stay_in_their_window() -> None:
    limits = LoginLimits()
    for boundary in (EPOCH, datetime(3000, 1, 1, tzinfo=UTC)):
        just_before = boundary - timedelta(microseconds=1)

        assert limits.window_start(just_before) == boundary - limits.window
        assert limits.retry_after_seconds(just_before) == 1


@given(account=st.text(), address=st.text())
def test_accounts_get_the_account_limit_and_anything_else_the_address_limit(
    account: str, address: str
) -> None:
    limits = LoginLimits(failures_per_account=3, failures_per_address=40)

    assert limits.limit_for(f"account:{account}") == 3
    assert limits.limit_for(f"address:{address}") == 40
    assert LoginLimits().limit_for("account:a@example.edu") == 5
    assert LoginLimits().limit_for("address:192.0.2.1") == 50
