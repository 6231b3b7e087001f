from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from application.shared.structs import View
from application.shared.views import Page
from domain.backups.model import Backup, BackupState, BackupTrigger


class BackupView(View):
    id: Annotated[UUID, msgspec.Meta(description="Also the id of the job that writes it")]
    trigger: BackupTrigger
    state: BackupState
    storage_key: Annotated[str | None, msgspec.Meta(examples=["backups/20261123T030000Z-<id>.zip"])]
    size_bytes: int | None
    sha256: Annotated[str | None, msgspec.Meta(description="SHA-256 of the whole archive")]
    schema_revision: str | None
    row_counts: Annotated[dict[str, int], msgspec.Meta(description="Rows per table")]
    error: str | None
    created_by: UUID | None
    created_at: datetime
    finished_at: datetime | None


class BackupPage(Page):
    items: list[BackupView]


def backup_view(backup: Backup) -> BackupView:
    return BackupView(
        id=backup.id,
        trigger=backup.trigger,
        state=backup.state,
        storage_key=backup.storage_key,
        size_bytes=backup.size_bytes,
        sha256=backup.sha256,
        schema_revision=backup.schema_revision,
        row_counts=dict(backup.row_counts),
        error=backup.error,
        created_by=backup.created_by,
        created_at=backup.created_at,
        finished_at=backup.finished_at,
    )
