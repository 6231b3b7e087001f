"""Multipart uploads streamed to disk: the file part goes to a new file in the uploads folder
as it arrives, hashed on the way, and never sits whole in memory; the other parts are small
form fields. Going over the size limit stops reading at once (413)."""

import hashlib
import uuid
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

import anyio
from litestar import Request
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from domain.imports.errors import FileTooLarge
from domain.shared.errors import InvalidValue

MAX_FIELD_BYTES = 1000
MAX_PARTS = 20
# Writes go to disk in blocks of this size, from a worker thread.
WRITE_BLOCK_BYTES = 1024 * 1024


@dataclass
class ReceivedUpload:
    fields: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    file_name: str = ""
    size: int = 0
    sha256: str = ""


@dataclass
class _Writer:
    path: Path
    limit: int
    handle: IO[bytes]
    digest: Any = field(default_factory=hashlib.sha256)
    size: int = 0
    pending: bytearray = field(default_factory=bytearray)

    async def write(self, data: bytes | bytearray) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise FileTooLarge(self.size, self.limit)
        self.digest.update(data)
        self.pending.extend(data)
        if len(self.pending) >= WRITE_BLOCK_BYTES:
            await self.flush()

    async def flush(self) -> None:
        block, self.pending = bytes(self.pending), bytearray()
        await anyio.to_thread.run_sync(self.handle.write, block)


def _discard(writer: _Writer | None) -> None:
    if writer is not None:
        writer.handle.close()
        writer.path.unlink(missing_ok=True)


def _boundary(request: Request[Any, Any, Any]) -> str:
    content_type, options = parse_options_header(request.headers.get("content-type", ""))
    if content_type != "multipart/form-data" or not options.get("boundary"):
        raise InvalidValue("body", "send the file as multipart/form-data with a `file` part")
    return str(options["boundary"])


async def receive_upload(
    request: Request[Any, Any, Any], folder: Path, limit: int
) -> ReceivedUpload:
    """Reads the request body; the caller deletes `path` when it does not keep the upload.
    Raises FileTooLarge past `limit` bytes and InvalidValue for a body without a file."""
    await anyio.to_thread.run_sync(partial(folder.mkdir, parents=True, exist_ok=True))
    received = ReceivedUpload()
    writer: _Writer | None = None
    try:
        with PushMultipartParser(_boundary(request), max_segment_count=MAX_PARTS) as parser:
            segment: MultipartSegment | None = None
            value = bytearray()
            async for chunk in request.stream():
                for event in parser.parse(chunk):
                    if isinstance(event, MultipartSegment):
                        segment, value = event, bytearray()
                        if event.name == "file" and event.filename is not None and writer is None:
                            path = folder / f"{uuid.uuid4()}.upload"
                            received.path, received.file_name = path, Path(event.filename).name
                            writer = _Writer(path, limit, path.open("wb"))
                    elif event and segment is not None:
                        if writer is not None and segment.name == "file":
                            await writer.write(event)
                        elif len(value) + len(event) <= MAX_FIELD_BYTES:
                            value.extend(event)
                    elif segment is not None and segment.name != "file":
                        received.fields[segment.name] = value.decode("utf-8", "replace").strip()
    except MultipartError as error:
        _discard(writer)
        raise InvalidValue("body", f"malformed multipart body ({error})") from error
    except BaseException:
        _discard(writer)
        raise
    if writer is not None:
        await writer.flush()
        writer.handle.close()
    if writer is None:
        raise InvalidValue("file", "the form has no `file` part")
    received.size, received.sha256 = writer.size, writer.digest.hexdigest()
    return received
