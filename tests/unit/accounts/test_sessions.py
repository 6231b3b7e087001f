"""RefreshSession, Logout and Authenticate: rotation, reuse detection, revocation."""

from datetime import timedelta

import pytest

from application.accounts.commands import RefreshCommand, UserPatch
from application.accounts.sessions import INVALID_SESSION
from application.accounts.views import SessionView
from domain.accounts.model import Principal, Role
from domain.shared.errors import Unauthenticated
from tests.unit.accounts.kit import Accounts


async def refused(accounts: Accounts, session: SessionView) -> None:
    with pytest.raises(Unauthenticated) as raised:
        await accounts.refresh_with(session)
    assert raised.value.message == INVALID_SESSION


async def not_authenticated(accounts: Accounts, access_token: str) -> None:
    with pytest.raises(Unauthenticated):
        await accounts.authenticate(access_token)


async def test_a_refresh_token_buys_a_new_pair_once(accounts: Accounts) -> None:
    user = await accounts.user()
    first = await accounts.session()

    second = await accounts.refresh_with(first)

    assert second.access_token != first.access_token
    assert second.refresh_token != first.refresh_token
    assert (await accounts.authenticate(second.access_token)).user_id == user.id
    await refused(accounts, first)


async def test_the_new_pair_has_full_lifetimes(accounts: Accounts) -> None:
    await accounts.user()
    first = await accounts.session()
    accounts.clock.advance(timedelta(days=1))

    second = await accounts.refresh_with(first)

    claims = accounts.codec.decode(second.access_token)
    assert claims.issued_at == accounts.clock.now()
    assert claims.expires_at == accounts.clock.now() + accounts.policy.access_ttl
    assert second.expires_in == 900
    accounts.clock.advance(accounts.policy.refresh_ttl - timedelta(seconds=1))
    assert await accounts.refresh_with(second)


async def test_replaying_a_rotated_token_ends_the_whole_login(accounts: Accounts) -> None:
    await accounts.user()
    stolen = await accounts.session()
    elsewhere = await accounts.session()
    rotated = await accounts.refresh_with(stolen)
    newest = await accounts.refresh_with(rotated)

    await refused(accounts, stolen)

    await refused(accounts, newest)
    assert await accounts.refresh_with(elsewhere)


async def test_an_expired_refresh_token_is_refused(accounts: Accounts) -> None:
    await accounts.user()
    session = await accounts.session()

    accounts.clock.advance(accounts.policy.refresh_ttl)

    await refused(accounts, session)


async def test_an_unknown_refresh_token_is_refused(accounts: Accounts) -> None:
    with pytest.raises(Unauthenticated):
        await accounts.refresh(RefreshCommand(refresh_token="made-up"))


async def test_a_deactivated_account_cannot_refresh(accounts: Accounts) -> None:
    user = await accounts.user()
    session = await accounts.session()

    accounts.stored(user.id).active = False  # even if its tokens somehow survived

    await refused(accounts, session)
    accounts.stored(user.id).active = True
    assert await accounts.refresh_with(session)


async def test_logout_ends_the_refresh_token_and_the_access_token(accounts: Accounts) -> None:
    await accounts.user()
    session = await accounts.session()
    rotated = await accounts.refresh_with(session)

    await accounts.logout(rotated.access_token, RefreshCommand(refresh_token=rotated.refresh_token))

    await refused(accounts, rotated)
    await not_authenticated(accounts, rotated.access_token)


async def test_logout_leaves_other_logins_alone(accounts: Accounts) -> None:
    user = await accounts.user()
    phone, laptop = await accounts.session(), await accounts.session()

    await accounts.logout(phone.access_token, RefreshCommand(refresh_token=phone.refresh_token))

    assert (await accounts.authenticate(laptop.access_token)).user_id == user.id
    assert await accounts.refresh_with(laptop)


async def test_logout_with_someone_elses_refresh_token_does_not_end_their_session(
    accounts: Accounts,
) -> None:
    await accounts.user()
    await accounts.user(email="victim@example.edu")
    mine = await accounts.session()
    theirs = await accounts.session(email="victim@example.edu")

    await accounts.logout(mine.access_token, RefreshCommand(refresh_token=theirs.refresh_token))

    await not_authenticated(accounts, mine.access_token)
    assert await accounts.refresh_with(theirs)


async def test_logout_needs_a_valid_access_token(accounts: Accounts) -> None:
    await accounts.user()
    session = await accounts.session()

    with pytest.raises(Unauthenticated):
        await accounts.logout("forged", RefreshCommand(refresh_token=session.refresh_token))

    assert await accounts.refresh_with(session)


async def test_authenticate_reads_the_role_from_the_account(accounts: Accounts) -> None:
    user = await accounts.user(role=Role.TECHNICIAN)
    session = await accounts.session()

    accounts.stored(user.id).role = Role.ADMIN

    principal = await accounts.authenticate(session.access_token)
    assert principal == Principal(user_id=user.id, role=Role.ADMIN, resident_id=None)
    assert accounts.codec.decode(session.access_token).role is Role.TECHNICIAN


async def test_a_resident_is_authenticated_with_their_resident_record(accounts: Accounts) -> None:
    resident = await accounts.housing.resident()
    user = await accounts.user(email=resident.email, role=Role.RESIDENT, resident_id=resident.id)
    session = await accounts.session(email=resident.email)

    principal = await accounts.authenticate(session.access_token)

    assert principal == Principal(user_id=user.id, role=Role.RESIDENT, resident_id=resident.id)
    assert principal.may_see_resident(resident.id)


async def test_a_deactivated_or_deleted_account_is_not_authenticated(accounts: Accounts) -> None:
    admin = await accounts.admin()
    user = await accounts.user()
    gone = await accounts.user(email="gone@example.edu")
    deactivated = await accounts.session()
    deleted = await accounts.session(email="gone@example.edu")

    await accounts.update_user(admin, user.id, UserPatch(active=False))
    del accounts.store.tables.users[gone.id]

    await not_authenticated(accounts, deactivated.access_token)
    await not_authenticated(accounts, deleted.access_token)


async def test_a_token_the_codec_rejects_is_not_authenticated(accounts: Accounts) -> None:
    await accounts.user()
    session = await accounts.session()

    await not_authenticated(accounts, session.access_token + "x")
    await not_authenticated(accounts, "")
