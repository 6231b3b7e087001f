"""The file storage port: named blobs (backup archives, reports) kept outside the database.

Keys are relative POSIX paths (`backups/2026-11-23T030000Z-<id>.zip`); adapters map them to a
folder or to object names under a bucket prefix. Content travels as streams of byte chunks, so
an archive of any size is never held in memory whole."""

from __future__ import annotations

import re
from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol

import msgspec

from domain.shared.errors import InvalidValue

_KEY_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class StoredFile(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    size: int


def check_key(key: str) -> str:
    """A key every adapter can store as is: segments of letters, digits, `.`, `_` and `-`
    that start with a letter or digit (so no `..`, no hidden files, no absolute paths)."""
    segments = key.split("/")
    if len(key) > 512 or not all(_KEY_SEGMENT.fullmatch(segment) for segment in segments):
        raise InvalidValue("key", f"{key!r} is not a storage key like backups/archive.zip")
    return key


class FileStorage(Protocol):
    async def put(self, key: str, chunks: AsyncIterable[bytes]) -> int:
        """Stores the chunks under `key`, replacing what was there, and returns the size in
        bytes. Readers never see a half-written file: it appears whole or not at all."""
        ...

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The content of `key` as chunks; raises NotFound("file", key) when there is none."""
        ...

    async def list(self, prefix: str = "") -> list[StoredFile]:
        """Every file whose key starts with `prefix`, ordered by key."""
        ...

    async def delete(self, key: str) -> None:
        """Removes `key`; a key that is not there is not an error."""
        ...

    async def size(self, key: str) -> int | None:
        """The size of `key` in bytes, None when there is no such file."""
        ...
