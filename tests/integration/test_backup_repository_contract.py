"""BackupRepository: the same assertions against the fake, SQLite and PostgreSQL."""

import dataclasses
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from adapters.sqlalchemy.backups.repository import SqlAlchemyBackupRepository
from application.backups.ports import BackupRepository
from application.shared.paging import PageRequest
from domain.backups.model import Backup, BackupState, BackupTrigger
from domain.shared.errors import Conflict, NotFound
from tests.fakes import InMemoryBackupRepository
from tests.integration.housing_backends import ALL_BACKENDS, engine_for

NOON = datetime(2026, 11, 23, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=ALL_BACKENDS)
def backups(request: pytest.FixtureRequest) -> BackupRepository:
    if request.param == "memory":
        return InMemoryBackupRepository()
    return SqlAlchemyBackupRepository(engine_for(request, request.param))


def _backup(hours_ago: int = 0) -> Backup:
    return Backup(
        id=uuid4(), trigger=BackupTrigger.SCHEDULED, created_at=NOON - timedelta(hours=hours_ago)
    )


async def test_a_backup_is_stored_finished_and_read_back(backups: BackupRepository) -> None:
    backup = _backup()
    await backups.add(backup)
    finished = dataclasses.replace(
        backup,
        state=BackupState.SUCCEEDED,
        storage_key="backups/x.zip",
        size_bytes=5_000_000_000,
        sha256="ab" * 32,
        schema_revision="0013",
        row_counts={"residents": 3, "rooms": 0},
        finished_at=NOON,
    )

    await backups.save(finished)

    assert await backups.get(backup.id) == finished
    assert await backups.succeeded() == [finished]
    with pytest.raises(Conflict):
        await backups.add(backup)


async def test_pages_are_newest_first_and_deleted_ones_are_gone(
    backups: BackupRepository,
) -> None:
    older, newer, newest = _backup(48), _backup(24), _backup(0)
    for backup in (newer, older, newest):
        await backups.add(backup)

    items, total = await backups.page(PageRequest(limit=2))
    await backups.delete(newer.id)

    assert ([item.id for item in items], total) == ([newest.id, newer.id], 3)
    assert await backups.get(newer.id) is None
    assert await backups.succeeded() == []
    with pytest.raises(NotFound):
        await backups.save(newer)
