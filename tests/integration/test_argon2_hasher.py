"""The real password hasher: Argon2id through pwdlib (slow by design, so only a few cases)."""

import asyncio

from adapters.security.argon2_hasher import Argon2PasswordHasher

PASSWORD = "violet kettle harbour 42"


async def test_hashes_with_argon2id_and_verifies_only_the_right_password() -> None:
    hasher = Argon2PasswordHasher()

    stored = await hasher.hash(PASSWORD)

    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert await hasher.verify(PASSWORD, stored)
    assert not await hasher.verify(PASSWORD + "!", stored)


async def test_the_same_password_hashes_differently_each_time() -> None:
    hasher = Argon2PasswordHasher()

    assert await hasher.hash(PASSWORD) != await hasher.hash(PASSWORD)


async def test_a_malformed_stored_hash_reads_as_a_wrong_password() -> None:
    assert not await Argon2PasswordHasher().verify(PASSWORD, "not-a-hash")


async def test_concurrent_calls_beyond_the_limit_all_complete() -> None:
    hasher = Argon2PasswordHasher(max_concurrent=1)
    stored = await hasher.hash(PASSWORD)

    results = await asyncio.gather(*(hasher.verify(PASSWORD, stored) for _ in range(3)))

    assert results == [True, True, True]
