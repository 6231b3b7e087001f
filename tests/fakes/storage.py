"""An in-memory FileStorage."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator

from application.storage.ports import StoredFile, check_key
from domain.shared.errors import NotFound


class InMemoryFileStorage:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        check_key(key)
        content = b"".join([chunk async for chunk in chunks])
        self.files[key] = content
        return len(content)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        if check_key(key) not in self.files:
            raise NotFound("file", key)
        return self._chunks(self.files[key])

    @staticmethod
    async def _chunks(content: bytes) -> AsyncIterator[bytes]:
        for start in range(0, len(content), 64 * 1024):
            yield content[start : start + 64 * 1024]

    async def list(self, prefix: str = "") -> list[StoredFile]:
        return [
            StoredFile(key=key, size=len(content))
            for key, content in sorted(self.files.items())
            if key.startswith(prefix)
        ]

    async def delete(self, key: str) -> None:
        self.files.pop(check_key(key), None)

    async def size(self, key: str) -> int | None:
        content = self.files.get(check_key(key))
        return None if content is None else len(content)
