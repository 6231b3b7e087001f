"""The accounts ports' contract: users, sessions and the account queries, with the same
assertions against the in-memory fakes, SQLite and PostgreSQL, so the fakes the unit tests rely
on cannot drift from the real adapters."""

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, timedelta
from typing import Any
from uuid import UUID, uuid4

import msgspec
import pytest

from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from application.accounts.ports import SessionRepository
from application.accounts.views import UserFilter, UserView
from application.shared.paging import PageRequest
from domain.accounts.model import Role
from domain.shared.errors import Conflict
from tests.integration.accounts_backends import (
    NOW,
    AccountsBackend,
    a_refresh_token,
    a_user,
    accounts_backend,
    users_saved,
)
from tests.integration.housing_backends import ALL_BACKENDS, SQL_BACKENDS, a_resident, saved


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> AccountsBackend:
    return accounts_backend(request)


@pytest.fixture(params=SQL_BACKENDS)
def sql(request: pytest.FixtureRequest) -> AccountsBackend:
    return accounts_backend(request)


# --- Users ---------------------------------------------------------------------------------------


async def test_user_add_get_and_update(backend: AccountsBackend) -> None:
    resident, other = a_resident("00412345"), a_resident("00412346")
    await saved(backend.housing, resident, other)
    user = a_user("ada", role=Role.RESIDENT, resident_id=resident.id)
    bea = a_user("bea")
    await users_saved(backend, user, bea)

    async with backend.uow() as uow:
        assert await uow.users.get(user.id) == user
        assert await uow.users.get_by_email("ada@example.edu") == user
        assert await uow.users.get_by_resident(resident.id) == user
        assert await uow.users.get(uuid4()) is None
        assert await uow.users.get_by_email("nobody@example.edu") is None
        assert await uow.users.get_by_resident(other.id) is None
        changed = replace(
            user,
            email="ada.okafor@example.edu",
            role=Role.TECHNICIAN,
            password_hash="$argon2id$v=19$m=65536,t=3,p=4$changed",
            resident_id=other.id,
            active=False,
        )
        await uow.users.update(changed)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.users.get(user.id) == changed
        assert await uow.users.get_by_email("ada.okafor@example.edu") == changed
        assert await uow.users.get_by_email("ada@example.edu") is None
        assert await uow.users.get_by_resident(other.id) == changed
        assert await uow.users.get_by_resident(resident.id) is None
        assert await uow.users.get(bea.id) == bea  # the update touched one row


async def test_an_email_already_taken_is_a_conflict_naming_email(
    backend: AccountsBackend,
) -> None:
    await users_saved(backend, a_user("ada"))

    with pytest.raises(Conflict) as raised:
        await users_saved(backend, a_user("ada", role=Role.ADMIN))

    assert raised.value.field == "email"
    assert raised.value.message == "email is already taken"
    async with backend.uow() as uow:
        kept = await uow.users.get_by_email("ada@example.edu")
    assert kept is not None
    assert kept.role is Role.STAFF


async def test_changing_to_an_email_already_taken_is_a_conflict_naming_email(
    backend: AccountsBackend,
) -> None:
    ada, bea = a_user("ada"), a_user("bea")
    await users_saved(backend, ada, bea)

    async def rename_bea() -> None:
        async with backend.uow() as uow:
            await uow.users.update(replace(bea, email="ada@example.edu"))
            await uow.commit()

    with pytest.raises(Conflict) as raised:
        await rename_bea()

    assert raised.value.field == "email"
    async with backend.uow() as uow:
        assert await uow.users.get(bea.id) == bea


async def test_one_resident_has_at_most_one_account(backend: AccountsBackend) -> None:
    resident = a_resident("00412345")
    await saved(backend.housing, resident)
    await users_saved(backend, a_user("ada", role=Role.RESIDENT, resident_id=resident.id))

    with pytest.raises(Conflict) as raised:
        await users_saved(backend, a_user("ada2", role=Role.RESIDENT, resident_id=resident.id))

    assert raised.value.field == "resident_id"
    async with backend.uow() as uow:
        assert await uow.users.get_by_email("ada2@example.edu") is None


async def test_the_loser_of_an_email_race_gets_a_conflict_from_the_unit_of_work(
    sql: AccountsBackend,
) -> None:
    # SQL only: the race is between two database transactions; the fake's units of work do not
    # interleave. Both pass the use case's "is the email free?" check before either inserts
    # (interleaved as in test_unique_race.py, for SQLite's single writer).
    bea = a_user("bea")
    await users_saved(sql, bea)
    winner, loser = sql.uow(), sql.uow()
    assert isinstance(loser, SqlAlchemyAccountsUnitOfWork)
    winning = a_user("ada")

    async def lose() -> None:
        async with loser:
            assert await loser.users.get_by_email("ada@example.edu") is None
            async with winner:
                assert await winner.users.get_by_email("ada@example.edu") is None
                await winner.users.add(winning)
                await winner.commit()
            await loser.sessions.add_refresh_token(a_refresh_token(bea.id, token_hash="b" * 64))
            await loser.users.add(a_user("ada", role=Role.ADMIN))
            await loser.commit()

    with pytest.raises(Conflict) as raised:
        await lose()

    assert raised.value.field == "email"
    assert raised.value.message == "email is already taken"
    async with sql.uow() as uow:
        assert await uow.users.get_by_email("ada@example.edu") == winning
        assert await uow.sessions.refresh_token("b" * 64) is None  # nothing half-written


async def test_deleting_a_resident_deletes_their_account_and_its_sessions(
    sql: AccountsBackend,
) -> None:
    # SQL only: the fake accounts store knows nothing of housing's residents; the databases
    # remove the account through ON DELETE CASCADE, and its refresh tokens with it.
    resident, other = a_resident("00412345"), a_resident("00412346")
    await saved(sql.housing, resident, other)
    user = a_user("ada", role=Role.RESIDENT, resident_id=resident.id)
    kept = a_user("bea", role=Role.RESIDENT, resident_id=other.id)
    await users_saved(sql, user, kept)
    async with sql.uow() as uow:
        await uow.sessions.add_refresh_token(a_refresh_token(user.id, token_hash="a" * 64))
        await uow.sessions.add_refresh_token(a_refresh_token(kept.id, token_hash="b" * 64))
        await uow.commit()

    async with sql.housing.uow() as housing:
        await housing.residents.delete(resident.id)
        await housing.commit()

    async with sql.uow() as uow:
        assert await uow.users.get(user.id) is None
        assert await uow.users.get_by_resident(resident.id) is None
        assert await uow.sessions.refresh_token("a" * 64) is None
        assert await uow.users.get(kept.id) == kept
        assert await uow.sessions.refresh_token("b" * 64) is not None


# --- Sessions ------------------------------------------------------------------------------------


async def test_refresh_token_round_trip_keeps_aware_utc_times(backend: AccountsBackend) -> None:
    user = a_user("ada")
    await users_saved(backend, user)
    live = a_refresh_token(user.id, token_hash="a" * 64)
    revoked = a_refresh_token(
        user.id, live.family_id, token_hash="b" * 64, revoked_at=NOW + timedelta(minutes=1)
    )
    async with backend.uow() as uow:
        await uow.sessions.add_refresh_token(live)
        await uow.sessions.add_refresh_token(revoked)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.sessions.refresh_token("a" * 64) == live
        loaded = await uow.sessions.refresh_token("b" * 64)
        assert await uow.sessions.refresh_token("c" * 64) is None
    assert loaded == revoked
    assert loaded.revoked_at is not None
    for moment in (loaded.expires_at, loaded.revoked_at):
        assert moment.utcoffset() == timedelta(0)
    assert loaded.expires_at == NOW + timedelta(days=14)  # microseconds included


EARLIER = NOW - timedelta(hours=1)
LATER = NOW + timedelta(hours=1)
Revoke = Callable[[SessionRepository, dict[str, UUID]], Awaitable[None]]


@pytest.mark.parametrize(
    ("revoke", "revoked_now"),
    [
        pytest.param(
            lambda sessions, ids: sessions.revoke_refresh_token("a1", LATER), {"a1"}, id="token"
        ),
        pytest.param(
            lambda sessions, ids: sessions.revoke_refresh_token("a2", LATER), set(), id="revoked"
        ),
        pytest.param(
            lambda sessions, ids: sessions.revoke_refresh_token("zz", LATER), set(), id="unknown"
        ),
        pytest.param(
            lambda sessions, ids: sessions.revoke_family(ids["family"], LATER),
            {"a1"},
            id="family",
        ),
        pytest.param(
            lambda sessions, ids: sessions.revoke_user(ids["user"], LATER),
            {"a1", "a3"},
            id="user",
        ),
    ],
)
async def test_revoking_touches_only_matching_tokens_not_yet_revoked(
    backend: AccountsBackend, revoke: Revoke, revoked_now: set[str]
) -> None:
    ada, bea = a_user("ada"), a_user("bea")
    await users_saved(backend, ada, bea)
    family = uuid4()
    tokens = {
        "a1": a_refresh_token(ada.id, family, token_hash="a1"),
        # Same family, already revoked: keeps its first revoked_at.
        "a2": a_refresh_token(ada.id, family, token_hash="a2", revoked_at=EARLIER),
        "a3": a_refresh_token(ada.id, token_hash="a3"),
        "b1": a_refresh_token(bea.id, token_hash="b1"),
    }
    async with backend.uow() as uow:
        for token in tokens.values():
            await uow.sessions.add_refresh_token(token)
        await uow.commit()

    async with backend.uow() as uow:
        await revoke(uow.sessions, {"family": family, "user": ada.id})
        await uow.commit()

    revoked_at = {}
    async with backend.uow() as uow:
        for token_hash in tokens:
            token = await uow.sessions.refresh_token(token_hash)
            assert token is not None
            revoked_at[token_hash] = token.revoked_at
    expected = {
        token_hash: LATER if token_hash in revoked_now else token.revoked_at
        for token_hash, token in tokens.items()
    }
    assert revoked_at == expected
    assert revoked_at["a2"] == EARLIER


async def test_revoking_an_access_token_is_idempotent(backend: AccountsBackend) -> None:
    async with backend.uow() as uow:
        assert await uow.sessions.access_token_revoked("jti-1") is False
        await uow.sessions.revoke_access_token("jti-1", NOW + timedelta(minutes=15))
        await uow.sessions.revoke_access_token("jti-1", NOW + timedelta(minutes=30))
        assert await uow.sessions.access_token_revoked("jti-1") is True
        await uow.commit()

    async with backend.uow() as uow:
        # Again, in a later unit of work: logging out twice is not an error.
        await uow.sessions.revoke_access_token("jti-1", NOW + timedelta(minutes=15))
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.sessions.access_token_revoked("jti-1") is True
        assert await uow.sessions.access_token_revoked("jti-2") is False


async def test_nothing_persists_without_commit(backend: AccountsBackend) -> None:
    ada = a_user("ada")
    await users_saved(backend, ada)
    async with backend.uow() as uow:
        await uow.sessions.add_refresh_token(a_refresh_token(ada.id, token_hash="a1"))
        await uow.commit()

    async with backend.uow() as uow:
        await uow.users.add(a_user("bea"))
        await uow.users.update(replace(ada, role=Role.ADMIN, active=False))
        await uow.sessions.add_refresh_token(a_refresh_token(ada.id, token_hash="a2"))
        await uow.sessions.revoke_user(ada.id, NOW)
        await uow.sessions.revoke_access_token("jti-1", NOW)
        # no commit

    async with backend.uow() as uow:
        assert await uow.users.get_by_email("bea@example.edu") is None
        assert await uow.users.get(ada.id) == ada
        assert await uow.sessions.refresh_token("a2") is None
        token = await uow.sessions.refresh_token("a1")
        assert token is not None
        assert token.revoked_at is None
        assert await uow.sessions.access_token_revoked("jti-1") is False


# --- Queries -------------------------------------------------------------------------------------


async def test_a_user_view_never_carries_the_password_hash(backend: AccountsBackend) -> None:
    resident = a_resident("00412345")
    await saved(backend.housing, resident)
    user = a_user("ada", role=Role.RESIDENT, resident_id=resident.id)
    await users_saved(backend, user)

    view = await backend.queries.user(user.id)
    listed = (await backend.queries.users(UserFilter(), PageRequest())).items

    assert "password_hash" not in UserView.__struct_fields__
    assert view is not None
    assert listed == [view]
    assert (view.id, view.email, view.role, view.resident_id, view.active) == (
        user.id,
        "ada@example.edu",
        Role.RESIDENT,
        resident.id,
        True,
    )
    assert user.password_hash.encode() not in msgspec.json.encode(view)
    assert view.created_at.utcoffset() == timedelta(0)
    assert view.updated_at >= view.created_at
    assert await backend.queries.user(uuid4()) is None


async def test_updating_a_user_moves_updated_at_only(backend: AccountsBackend) -> None:
    user = a_user("ada")
    await users_saved(backend, user)
    before = await backend.queries.user(user.id)
    backend.let_time_pass()

    async with backend.uow() as uow:
        await uow.users.update(replace(user, active=False))
        await uow.commit()

    after = await backend.queries.user(user.id)
    assert before is not None
    assert after is not None
    assert after.active is False
    assert after.created_at == before.created_at
    assert after.updated_at > before.updated_at
    assert after.updated_at.tzinfo is not None
    assert after.updated_at.astimezone(UTC) == after.updated_at


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({}, ["amara", "bela", "chidi", "dara", "emeka"]),
        ({"role": Role.STAFF}, ["bela", "emeka"]),
        ({"role": Role.TECHNICIAN}, ["chidi"]),
        ({"active": True}, ["amara", "bela", "dara"]),
        ({"active": False}, ["chidi", "emeka"]),
        ({"role": Role.STAFF, "active": False}, ["emeka"]),
        ({"role": Role.RESIDENT}, []),
    ],
)
async def test_users_filter_by_role_and_active_in_email_order(
    backend: AccountsBackend, criteria: dict[str, Any], expected: list[str]
) -> None:
    await users_saved(
        backend,
        a_user("dara", role=Role.ADMIN),
        a_user("bela", role=Role.STAFF),
        a_user("emeka", role=Role.STAFF, active=False),
        a_user("amara", role=Role.ADMIN),
        a_user("chidi", role=Role.TECHNICIAN, active=False),
    )

    page = await backend.queries.users(UserFilter(**criteria), PageRequest())

    assert [view.email for view in page.items] == [f"{name}@example.edu" for name in expected]
    assert page.total == len(expected)


async def test_users_page_holds_the_slice_and_total_counts_every_match(
    backend: AccountsBackend,
) -> None:
    names = ["gita", "cato", "fola", "axel", "ebo", "dami", "bimpe"]
    await users_saved(backend, *(a_user(name) for name in names))

    page = await backend.queries.users(UserFilter(), PageRequest(limit=3, offset=3))
    past_the_end = await backend.queries.users(UserFilter(), PageRequest(limit=3, offset=7))

    assert [view.email.split("@")[0] for view in page.items] == ["dami", "ebo", "fola"]
    assert (page.total, page.limit, page.offset) == (7, 3, 3)
    assert past_the_end.items == []
    assert past_the_end.total == 7


async def test_caller_state_reads_the_account_and_the_token_in_one_answer(
    backend: AccountsBackend,
) -> None:
    ada = a_user("ada", role=Role.ADMIN)
    await users_saved(backend, ada)

    fresh = await backend.queries.caller(ada.id, "jti-1")
    assert fresh is not None
    assert (fresh.role, fresh.resident_id, fresh.active) == (Role.ADMIN, None, True)
    assert fresh.tokens_valid_after is None
    assert fresh.token_revoked is False

    async with backend.uow() as uow:
        await uow.sessions.revoke_access_token("jti-1", NOW + timedelta(minutes=15))
        stored = await uow.users.get(ada.id)
        assert stored is not None
        stored.active = False
        stored.end_sessions(NOW)
        await uow.users.update(stored)
        await uow.commit()

    ended = await backend.queries.caller(ada.id, "jti-1")
    assert ended is not None
    assert ended.token_revoked is True
    assert ended.active is False
    assert ended.tokens_valid_after == NOW.replace(microsecond=0)
    other_token = await backend.queries.caller(ada.id, "jti-2")
    assert other_token is not None
    assert other_token.token_revoked is False
    assert await backend.queries.caller(uuid4(), "jti-1") is None
