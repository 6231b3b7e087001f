"""FileStorage on a local folder: the embedded default (`$VAR_DIR/storage`)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path

from application.storage.ports import StoredFile, check_key
from domain.shared.errors import NotFound

CHUNK_BYTES = 1024 * 1024


class LocalFolderFileStorage:
    """Each file is written to a temporary name in its target folder and renamed into place,
    so a reader (or a crash) never meets half a file."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def path_of(self, key: str) -> Path:
        return self._root / check_key(key)

    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        target = self.path_of(key)
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
        size = 0
        try:
            with os.fdopen(handle, "wb") as file:
                async for chunk in chunks:
                    await asyncio.to_thread(file.write, chunk)
                    size += len(chunk)
                await asyncio.to_thread(os.fsync, file.fileno())
            await asyncio.to_thread(os.replace, temporary, target)
        except BaseException:
            await asyncio.to_thread(Path(temporary).unlink, missing_ok=True)
            raise
        return size

    async def open(self, key: str) -> AsyncIterator[bytes]:
        path = self.path_of(key)
        if not await asyncio.to_thread(path.is_file):
            raise NotFound("file", key)
        return self._read(path)

    async def _read(self, path: Path) -> AsyncIterator[bytes]:
        with path.open("rb") as file:
            while chunk := await asyncio.to_thread(file.read, CHUNK_BYTES):
                yield chunk

    async def list(self, prefix: str = "") -> list[StoredFile]:
        return await asyncio.to_thread(self._list, prefix)

    def _list(self, prefix: str) -> list[StoredFile]:
        if not self._root.is_dir():
            return []
        found = []
        for path in self._root.rglob("*"):
            key = path.relative_to(self._root).as_posix()
            if path.is_file() and not path.name.startswith(".") and key.startswith(prefix):
                found.append(StoredFile(key=key, size=path.stat().st_size))
        return sorted(found, key=lambda stored: stored.key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_of(key).unlink, missing_ok=True)

    async def size(self, key: str) -> int | None:
        path = self.path_of(key)
        try:
            return (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError:
            return None
