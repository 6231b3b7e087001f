"""A password reset or a deactivation ends sessions at once, access tokens included."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from application.accounts.commands import ResetPasswordCommand, UserPatch
from domain.accounts.model import Role, User
from domain.shared.errors import Unauthenticated
from tests.unit.accounts.kit import Accounts

NEW_PASSWORD = "amber lantern orchard 77"


async def test_a_password_reset_refuses_access_tokens_issued_before_it(accounts: Accounts) -> None:
    user = await accounts.user()
    before = await accounts.session()
    accounts.clock.advance(timedelta(seconds=5))

    await accounts.reset_password(user.id, ResetPasswordCommand(password=NEW_PASSWORD))

    with pytest.raises(Unauthenticated):
        await accounts.authenticate(before.access_token)


async def test_a_session_started_after_the_reset_works(accounts: Accounts) -> None:
    user = await accounts.user()
    await accounts.reset_password(user.id, ResetPasswordCommand(password=NEW_PASSWORD))

    after = await accounts.session(password=NEW_PASSWORD)

    assert (await accounts.authenticate(after.access_token)).user_id == user.id


async def test_reactivation_does_not_revive_tokens_issued_before_deactivation(
    accounts: Accounts,
) -> None:
    admin = await accounts.admin()
    user = await accounts.user(role=Role.STAFF)
    before = await accounts.session()
    accounts.clock.advance(timedelta(seconds=5))

    await accounts.update_user(admin, user.id, UserPatch(active=False))
    await accounts.update_user(admin, user.id, UserPatch(active=True))

    with pytest.raises(Unauthenticated):
        await accounts.authenticate(before.access_token)


instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)


@given(
    ended=instants,
    offset=st.timedeltas(min_value=timedelta(seconds=-3600), max_value=timedelta(seconds=3600)),
)
def test_only_tokens_from_before_the_end_second_are_refused(
    ended: datetime, offset: timedelta
) -> None:
    user = User(email="a@example.edu", role=Role.STAFF, password_hash="x")
    user.end_sessions(ended)
    # Token issue times are whole seconds (JWT `iat`).
    issued = (ended + offset).replace(microsecond=0)

    assert user.accepts_token_issued_at(issued) == (issued >= ended.replace(microsecond=0))
    assert user.accepts_token_issued_at(ended.replace(microsecond=0))
