import asyncio

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher


class Argon2PasswordHasher:
    """Argon2id through pwdlib. Hashing is deliberately slow CPU work, so it runs in a thread
    and never stalls the event loop that serves everyone else."""

    def __init__(self) -> None:
        self._hash = PasswordHash((Argon2Hasher(),))

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hash.hash, password)

    async def verify(self, password: str, password_hash: str) -> bool:
        return await asyncio.to_thread(self._verify, password, password_hash)

    def _verify(self, password: str, password_hash: str) -> bool:
        try:
            return bool(self._hash.verify(password, password_hash))
        except Exception:  # a malformed stored hash must read as "wrong password", not a 500
            return False
