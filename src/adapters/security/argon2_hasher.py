import asyncio
import os

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2PasswordHasher:
    """Argon2id through pwdlib. Hashing is deliberately slow CPU work, so it runs in a thread
    and never stalls the event loop that serves everyone else. Each hash also takes 64 MiB, so
    at most one per core runs at a time: a burst of logins queues instead of exhausting memory."""

    def __init__(self, max_concurrent: int | None = None) -> None:
        self._hash = PasswordHash((Argon2Hasher(),))
        self._slots = asyncio.Semaphore(max_concurrent or os.cpu_count() or 1)

    async def hash(self, password: str) -> str:
        async with self._slots:
            return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str) -> bool:
        async with self._slots:
            return await asyncio.to_thread(self._verify, password, password_hash)

    def _verify(self, password: str, password_hash: str) -> bool:
        try:
            return bool(self._hash.verify(password, password_hash))
        except Exception:  # a malformed stored hash must read as "wrong password", not a 500
            return False
