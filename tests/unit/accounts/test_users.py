"""CreateUser, UpdateUser, ResetPassword, GetUser: account administration."""

from uuid import uuid4

import msgspec
import pytest

from application.accounts.commands import ResetPasswordCommand, UserPatch
from application.accounts.views import UserView
from domain.accounts.model import Role
from domain.shared.errors import Conflict, InvalidValue, NotFound, Unauthenticated
from tests.unit.accounts.kit import PASSWORD, Accounts

NEW_PASSWORD = "copper lantern meadow 7"


def user_count(accounts: Accounts) -> int:
    return len(accounts.store.tables.users)


async def test_create_normalises_the_email_and_reads_back(accounts: Accounts) -> None:
    view = await accounts.user(email="  Warden@Example.EDU ", role=Role.TECHNICIAN)

    assert view.email == "warden@example.edu"
    assert (view.role, view.resident_id, view.active) == (Role.TECHNICIAN, None, True)
    assert view.created_at == view.updated_at == accounts.clock.now()
    assert await accounts.get_user(view.id) == view


async def test_the_password_is_stored_hashed_and_never_shown(accounts: Accounts) -> None:
    view = await accounts.user()

    stored = accounts.stored(view.id).password_hash
    assert stored == await accounts.hasher.hash(PASSWORD)
    assert stored != PASSWORD
    assert not {"password", "password_hash"} & {f.name for f in msgspec.structs.fields(UserView)}
    body = msgspec.json.encode(view).decode()
    assert PASSWORD not in body
    assert "password" not in body


async def test_the_email_is_unique_whatever_its_case(accounts: Accounts) -> None:
    await accounts.user(email="warden@example.edu")

    with pytest.raises(Conflict) as raised:
        await accounts.user(email="WARDEN@example.edu", role=Role.ADMIN)

    assert raised.value.field == "email"
    assert user_count(accounts) == 1


async def test_an_invalid_email_is_refused(accounts: Accounts) -> None:
    with pytest.raises(InvalidValue) as raised:
        await accounts.user(email="not an email")

    assert raised.value.field == "email"
    assert user_count(accounts) == 0


@pytest.mark.parametrize(
    "password",
    [
        "short pass",
        "Password1234",
        "zzzzzzzzzzzzzzzz",
        "Warden.Residence",
        "warden.residence@example.edu",
    ],
)
async def test_the_password_policy_applies(accounts: Accounts, password: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        await accounts.user(email="warden.residence@example.edu", password=password)

    assert raised.value.field == "password"
    assert user_count(accounts) == 0


async def test_a_resident_account_names_an_existing_resident(accounts: Accounts) -> None:
    resident = await accounts.housing.resident()

    view = await accounts.user(email="ada@example.edu", role=Role.RESIDENT, resident_id=resident.id)

    assert (view.role, view.resident_id) == (Role.RESIDENT, resident.id)


async def test_a_resident_account_without_a_resident_is_refused(accounts: Accounts) -> None:
    with pytest.raises(InvalidValue) as raised:
        await accounts.user(role=Role.RESIDENT)

    assert raised.value.field == "resident_id"
    assert user_count(accounts) == 0


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STAFF, Role.TECHNICIAN])
async def test_only_resident_accounts_name_a_resident(accounts: Accounts, role: Role) -> None:
    resident = await accounts.housing.resident()

    with pytest.raises(InvalidValue) as raised:
        await accounts.user(role=role, resident_id=resident.id)

    assert raised.value.field == "resident_id"
    assert user_count(accounts) == 0


async def test_an_unknown_resident_is_refused(accounts: Accounts) -> None:
    with pytest.raises(InvalidValue) as raised:
        await accounts.user(role=Role.RESIDENT, resident_id=uuid4())

    assert raised.value.field == "resident_id"
    assert user_count(accounts) == 0


async def test_a_resident_has_at_most_one_account(accounts: Accounts) -> None:
    resident = await accounts.housing.resident()
    await accounts.user(email="ada@example.edu", role=Role.RESIDENT, resident_id=resident.id)

    with pytest.raises(Conflict) as raised:
        await accounts.user(email="ada2@example.edu", role=Role.RESIDENT, resident_id=resident.id)

    assert raised.value.field == "resident_id"
    assert user_count(accounts) == 1


async def test_deactivation_ends_every_session_of_the_account(accounts: Accounts) -> None:
    admin = await accounts.admin()
    user = await accounts.user()
    phone, laptop = await accounts.session(), await accounts.session()
    accounts.clock.advance(accounts.policy.access_ttl)

    view = await accounts.update_user(admin, user.id, UserPatch(active=False))

    assert not view.active
    assert view.updated_at == accounts.clock.now()
    await accounts.update_user(admin, user.id, UserPatch(active=True))
    for session in (phone, laptop):  # reactivating does not bring the old sessions back
        with pytest.raises(Unauthenticated):
            await accounts.refresh_with(session)


async def test_deactivation_leaves_other_accounts_signed_in(accounts: Accounts) -> None:
    admin = await accounts.admin()
    user = await accounts.user()
    await accounts.user(email="colleague@example.edu")
    colleague = await accounts.session(email="colleague@example.edu")

    await accounts.update_user(admin, user.id, UserPatch(active=False))

    assert await accounts.refresh_with(colleague)


async def test_an_admin_cannot_deactivate_themself(accounts: Accounts) -> None:
    admin = await accounts.admin()

    with pytest.raises(Conflict) as raised:
        await accounts.update_user(admin, admin.user_id, UserPatch(active=False))

    assert raised.value.field == "active"
    assert accounts.stored(admin.user_id).active


async def test_update_of_an_unknown_account_is_not_found(accounts: Accounts) -> None:
    admin = await accounts.admin()

    with pytest.raises(NotFound):
        await accounts.update_user(admin, uuid4(), UserPatch(active=False))


async def test_omitted_fields_are_unchanged(accounts: Accounts) -> None:
    admin = await accounts.admin()
    user = await accounts.user()
    session = await accounts.session()

    view = await accounts.update_user(admin, user.id, UserPatch())

    assert (view.email, view.role, view.active) == (user.email, user.role, True)
    assert await accounts.refresh_with(session)


async def test_a_reset_password_replaces_the_old_one_and_ends_sessions(
    accounts: Accounts,
) -> None:
    user = await accounts.user()
    session = await accounts.session()

    await accounts.reset_password(user.id, ResetPasswordCommand(password=NEW_PASSWORD))

    assert await accounts.session(password=NEW_PASSWORD)
    with pytest.raises(Unauthenticated):
        await accounts.session(password=PASSWORD)
    with pytest.raises(Unauthenticated):
        await accounts.refresh_with(session)


@pytest.mark.parametrize("password", ["too short", "qwerty123456", "Warden@Example.edu"])
async def test_a_reset_password_follows_the_policy(accounts: Accounts, password: str) -> None:
    user = await accounts.user()
    session = await accounts.session()

    with pytest.raises(InvalidValue) as raised:
        await accounts.reset_password(user.id, ResetPasswordCommand(password=password))

    assert raised.value.field == "password"
    assert await accounts.session(password=PASSWORD)
    assert await accounts.refresh_with(session)


async def test_reset_password_of_an_unknown_account_is_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        await accounts.reset_password(uuid4(), ResetPasswordCommand(password=NEW_PASSWORD))


async def test_get_of_an_unknown_account_is_not_found(accounts: Accounts) -> None:
    with pytest.raises(NotFound):
        await accounts.get_user(uuid4())
