from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from application.shared.structs import Command, View
from application.shared.views import Page
from domain.directory.model import SyncRun


class StartSyncCommand(Command):
    dry_run: Annotated[bool, msgspec.Meta(description="Compute the diff and change nothing")] = (
        False
    )


class SyncRunView(View):
    id: Annotated[UUID, msgspec.Meta(description="Also the id of the job that runs it")]
    source: Annotated[str, msgspec.Meta(examples=["files", "http"])]
    dry_run: bool
    state: Annotated[str, msgspec.Meta(examples=["running", "succeeded", "failed"])]
    created: int
    updated: int
    unchanged: int
    deactivated: Annotated[int, msgspec.Meta(description="Residents who became former")]
    errors: Annotated[
        list[dict[str, str]],
        msgspec.Meta(description="Records not used: `where`, `field`, `message`"),
    ]
    changes: Annotated[
        list[dict[str, Any]],
        msgspec.Meta(
            description="Per resident: `student_id`, `action` (create, update, deactivate) and "
            "`fields` ({field: [before, after]}); the diff of a dry run"
        ),
    ]
    failure: str | None
    created_by: UUID | None
    created_at: datetime
    finished_at: datetime | None


class SyncRunPage(Page):
    items: list[SyncRunView]


def sync_run_view(run: SyncRun) -> SyncRunView:
    return SyncRunView(
        id=run.id,
        source=run.source,
        dry_run=run.dry_run,
        state=run.state,
        created=run.created,
        updated=run.updated,
        unchanged=run.unchanged,
        deactivated=run.deactivated,
        errors=list(run.errors),
        changes=list(run.changes),
        failure=run.failure,
        created_by=run.created_by,
        created_at=run.created_at,
        finished_at=run.finished_at,
    )
