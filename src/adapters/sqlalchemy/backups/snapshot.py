"""The backup archive writer: every table of the MetaData, in dependency order, read in one
snapshot and streamed into a zip file as the rows arrive. Rows are fetched in batches (a
server-side cursor on PostgreSQL), so no table is ever held in memory; compression runs in a
worker thread (zlib releases the GIL), so the event loop keeps serving requests."""

import asyncio
import hashlib
import io
import zipfile
from collections.abc import AsyncIterator
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from adapters.sqlalchemy.backups.codec import ENCODER, schema_revision, snapshot_connection
from adapters.sqlalchemy.tables import metadata
from application.backups.ports import BackupManifest, TableEntry, TableProgress
from domain.backups.archive import FORMAT_VERSION, MANIFEST

BATCH_ROWS = 500
FLUSH_BYTES = 1024 * 1024


def application_version() -> str:
    try:
        return version("campus-residence")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "unknown"


def _write_lines(member: IO[bytes], digest: "hashlib._Hash", rows: list[tuple[Any, ...]]) -> None:
    """Encoding, hashing and compressing a batch, off the event loop."""
    lines = ENCODER.encode_lines(rows)
    digest.update(lines)
    member.write(lines)


class _Sink(io.RawIOBase):
    """Where zipfile writes: an unseekable stream (zip then uses data descriptors), drained
    into chunks for the storage."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self._buffer += data
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    @property
    def pending(self) -> int:
        return len(self._buffer)

    def take(self) -> bytes:
        data = bytes(self._buffer)
        self._buffer.clear()
        return data


class SqlAlchemyArchiveStream:
    def __init__(self, engine: AsyncEngine, created_at: datetime, progress: TableProgress) -> None:
        self._engine = engine
        self._created_at = created_at
        self._progress = progress
        self.manifest: BackupManifest | None = None

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._chunks()

    async def _chunks(self) -> AsyncIterator[bytes]:
        sink = _Sink()
        archive = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        tables = metadata.sorted_tables
        entries: list[TableEntry] = []
        async with snapshot_connection(self._engine) as connection:
            revision = await schema_revision(connection)
            for done, table in enumerate(tables, start=1):
                async for chunk in self._table(connection, archive, sink, table, entries):
                    yield chunk
                await self._progress(done, len(tables))
        self.manifest = BackupManifest(
            format=FORMAT_VERSION,
            schema_revision=revision,
            created_at=self._created_at,
            application_version=application_version(),
            engine=self._engine.dialect.name,
            tables=entries,
        )
        archive.writestr(MANIFEST, ENCODER.encode(self.manifest))
        archive.close()
        yield sink.take()

    async def _table(
        self,
        connection: AsyncConnection,
        archive: zipfile.ZipFile,
        sink: _Sink,
        table: Table,
        entries: list[TableEntry],
    ) -> AsyncIterator[bytes]:
        file_name = f"{table.name}.jsonl"
        digest = hashlib.sha256()
        rows = 0
        query = select(table).order_by(*table.primary_key.columns)
        result = await connection.stream(query.execution_options(yield_per=BATCH_ROWS))
        with archive.open(file_name, "w", force_zip64=True) as member:
            async for batch in result.partitions(BATCH_ROWS):
                rows += len(batch)
                await asyncio.to_thread(_write_lines, member, digest, [tuple(r) for r in batch])
                if sink.pending >= FLUSH_BYTES:
                    yield sink.take()
                # Let the requests that queued meanwhile run before the next batch.
                await asyncio.sleep(0)
        entries.append(
            TableEntry(
                name=str(table.name),
                file=file_name,
                columns=[str(column.name) for column in table.columns],
                rows=rows,
                sha256=digest.hexdigest(),
            )
        )


class SqlAlchemyDatabaseSnapshot:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    def archive(self, created_at: datetime, progress: TableProgress) -> SqlAlchemyArchiveStream:
        return SqlAlchemyArchiveStream(self._engine, created_at, progress)
