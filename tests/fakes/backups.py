"""In-memory fakes of the backups ports."""

from datetime import datetime
from uuid import UUID

from application.backups.ports import BackupManifest, TableEntry, TableProgress
from application.shared.paging import PageRequest
from domain.backups.model import Backup
from domain.shared.errors import Conflict, NotFound


class InMemoryBackupRepository:
    def __init__(self) -> None:
        self.backups: dict[UUID, Backup] = {}

    async def add(self, backup: Backup) -> None:
        if backup.id in self.backups:
            raise Conflict("id is already taken", field="id")
        self.backups[backup.id] = backup

    async def get(self, backup_id: UUID) -> Backup | None:
        return self.backups.get(backup_id)

    async def save(self, backup: Backup) -> None:
        if backup.id not in self.backups:
            raise NotFound("backup", backup.id)
        self.backups[backup.id] = backup

    async def page(self, page: PageRequest) -> tuple[list[Backup], int]:
        ordered = sorted(
            self.backups.values(), key=lambda backup: (backup.created_at, backup.id), reverse=True
        )
        return ordered[page.offset : page.offset + page.limit], len(ordered)

    async def succeeded(self) -> list[Backup]:
        return sorted(
            (backup for backup in self.backups.values() if backup.state == "succeeded"),
            key=lambda backup: backup.created_at,
        )

    async def delete(self, backup_id: UUID) -> None:
        self.backups.pop(backup_id, None)


class _FixedArchive:
    def __init__(self, content: bytes, created_at: datetime, progress: TableProgress) -> None:
        self._content = content
        self._created_at = created_at
        self._progress = progress
        self.manifest: BackupManifest | None = None

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        yield self._content[: len(self._content) // 2]
        await self._progress(1, 1)
        yield self._content[len(self._content) // 2 :]
        self.manifest = BackupManifest(
            format=1,
            schema_revision="0013",
            created_at=self._created_at,
            application_version="test",
            engine="memory",
            tables=[
                TableEntry(
                    name="residents", file="residents.jsonl", columns=["id"], rows=3, sha256="0"
                )
            ],
        )


class FixedDatabaseSnapshot:
    """An archive of fixed bytes, or a failure when `failure` is set."""

    def __init__(self, content: bytes = b"PK fake archive bytes") -> None:
        self.content = content
        self.failure: str | None = None

    def archive(self, created_at: datetime, progress: TableProgress) -> _FixedArchive:
        if self.failure is not None:
            raise OSError(self.failure)
        return _FixedArchive(self.content, created_at, progress)
