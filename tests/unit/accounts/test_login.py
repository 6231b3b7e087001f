"""Login: the right password opens a session; every failure looks alike and is counted."""

from datetime import timedelta

import pytest

from application.accounts.commands import UserPatch
from application.accounts.model import LoginLimits
from application.accounts.sessions import WRONG_CREDENTIALS
from domain.shared.errors import RateLimited, Unauthenticated
from tests.unit.accounts.kit import ADDRESS, PASSWORD, Accounts

OTHER_ADDRESS = "198.51.100.7"


async def failed_login(accounts: Accounts, **credentials: str) -> Unauthenticated:
    with pytest.raises(Unauthenticated) as raised:
        await accounts.session(**credentials)
    return raised.value


async def test_the_right_password_opens_a_session(accounts: Accounts) -> None:
    user = await accounts.user()

    session = await accounts.session()

    claims = accounts.codec.decode(session.access_token)
    assert (claims.user_id, claims.role) == (user.id, user.role)
    assert claims.expires_at - claims.issued_at == accounts.policy.access_ttl
    assert session.token_type == "bearer"
    assert session.expires_in == accounts.policy.access_ttl.total_seconds() == 900
    assert session.refresh_expires_in == accounts.policy.refresh_ttl.total_seconds()
    assert session.refresh_token
    assert session.refresh_token not in str(accounts.store.tables.refresh_tokens)
    assert (await accounts.authenticate(session.access_token)).user_id == user.id


async def test_every_login_starts_its_own_session(accounts: Accounts) -> None:
    await accounts.user()

    first, second = await accounts.session(), await accounts.session()

    assert first.access_token != second.access_token
    assert first.refresh_token != second.refresh_token
    families = {token.family_id for token in accounts.store.tables.refresh_tokens.values()}
    assert len(families) == 2


async def test_wrong_password_unknown_email_and_deactivated_account_look_alike(
    accounts: Accounts,
) -> None:
    admin = await accounts.admin()
    await accounts.user()
    gone = await accounts.user(email="gone@example.edu")
    await accounts.update_user(admin, gone.id, UserPatch(active=False))

    failures = [
        await failed_login(accounts, password="not the right password"),
        await failed_login(accounts, email="nobody@example.edu"),
        await failed_login(accounts, email="gone@example.edu"),
    ]

    assert {failure.message for failure in failures} == {WRONG_CREDENTIALS}
    assert {type(failure) for failure in failures} == {Unauthenticated}


async def test_an_unknown_email_still_costs_a_password_check(accounts: Accounts) -> None:
    user = await accounts.user()
    await failed_login(accounts, email="nobody@example.edu")
    await failed_login(accounts, email="someone.else@example.edu")
    await failed_login(accounts, password="not the right password")

    assert len(accounts.hasher.verified) == 3
    dummy, again, real = accounts.hasher.verified
    assert dummy == again != real
    assert real == accounts.stored(user.id).password_hash


async def test_failures_past_the_account_limit_refuse_even_the_right_password() -> None:
    accounts = Accounts(LoginLimits(failures_per_account=3))
    await accounts.user()
    for _ in range(3):
        await failed_login(accounts, password="not the right password")
    accounts.clock.advance(timedelta(minutes=5))  # the window began at 09:00

    with pytest.raises(RateLimited) as raised:
        await accounts.session()

    assert raised.value.retry_after_seconds == 10 * 60
    accounts.clock.advance(timedelta(minutes=10))
    assert await accounts.session()


async def test_the_account_limit_follows_the_account_across_addresses() -> None:
    accounts = Accounts(LoginLimits(failures_per_account=3))
    await accounts.user()
    await accounts.user(email="someone.else@example.edu")
    for number in range(3):
        await failed_login(accounts, password="wrong password", address=f"203.0.113.{number}")

    with pytest.raises(RateLimited):
        await accounts.session(address=OTHER_ADDRESS)
    assert await accounts.session(email="someone.else@example.edu")


async def test_failures_past_the_address_limit_refuse_every_account_from_it() -> None:
    accounts = Accounts(LoginLimits(failures_per_account=5, failures_per_address=3))
    await accounts.user()
    for email in ("a@example.edu", "b@example.edu", "c@example.edu"):
        await failed_login(accounts, email=email)

    with pytest.raises(RateLimited) as raised:
        await accounts.session()

    assert 1 <= raised.value.retry_after_seconds <= 900
    assert await accounts.session(address=OTHER_ADDRESS)


async def test_a_successful_login_clears_the_account_counter() -> None:
    accounts = Accounts(LoginLimits(failures_per_account=3))
    await accounts.user()
    for _ in range(2):
        await failed_login(accounts, password="wrong password")
    await accounts.session()
    for _ in range(2):
        await failed_login(accounts, password="wrong password")

    assert await accounts.session()


async def test_emails_match_whatever_their_case(accounts: Accounts) -> None:
    user = await accounts.user(email="Warden@Example.edu")

    session = await accounts.session(email="  WARDEN@example.EDU ")

    assert accounts.codec.decode(session.access_token).user_id == user.id


async def test_failures_under_any_case_count_for_one_account() -> None:
    accounts = Accounts(LoginLimits(failures_per_account=3))
    await accounts.user()
    for number, email in enumerate(
        ["Warden@example.edu", "WARDEN@EXAMPLE.EDU", "warden@Example.edu"]
    ):
        await failed_login(
            accounts, email=email, password="wrong password", address=f"203.0.113.{number}"
        )

    with pytest.raises(RateLimited):
        await accounts.session(password=PASSWORD, address=ADDRESS)
