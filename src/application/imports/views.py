"""What the import use cases take and return: the start command, import views, task status."""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.shared.structs import Command, View
from application.shared.views import Page
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode, ImportRecord, SeedState
from domain.jobs.model import JobState


class StartImportCommand(Command):
    """An upload already stored on disk, and how to import it."""

    path: str
    file_name: str
    size: int
    sha256: str
    kind: ImportKind = ImportKind.VOTERS
    mode: ImportMode = ImportMode.UPSERT
    dry_run: bool = False
    confirm: bool = False
    force: bool = False
    default_eligible: bool = True
    sheet: Annotated[str, msgspec.Meta(min_length=1, max_length=255)] | None = None


class ImportView(View):
    id: Annotated[UUID, msgspec.Meta(description="Also the job's id: GET /api/jobs/{id}")]
    kind: ImportKind
    mode: ImportMode
    dry_run: bool
    state: JobState
    file_name: str
    file_size: int
    file_type: str
    sha256: str
    uploaded_by: UUID | None
    created_at: datetime
    finished_at: datetime | None
    report: Annotated[
        dict[str, Any] | None, msgspec.Meta(description="The counts and problems, once done.")
    ]
    errors_url: str


class ImportPage(Page):
    items: list[ImportView]


class UploadAccepted(View):
    """The first users' answer to an upload."""

    message: str
    task_id: str


class TaskStatusView(View):
    state: SeedState
    status: str
    result: dict[str, Any] | None
    progress: dict[str, Any]


def import_view(record: ImportRecord, state: JobState) -> ImportView:
    return ImportView(
        id=record.id,
        kind=record.kind,
        mode=record.mode,
        dry_run=record.dry_run,
        state=state,
        file_name=record.file.name,
        file_size=record.file.size,
        file_type=record.file.file_type,
        sha256=record.file.sha256,
        uploaded_by=record.uploaded_by,
        created_at=record.created_at,
        finished_at=record.finished_at,
        report=record.report,
        errors_url=f"/api/imports/{record.id}/errors.csv",
    )
