"""Ports of the directory sync."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import msgspec

from application.shared.paging import PageRequest
from domain.directory.model import KnownResident, SyncPlan, SyncRun
from domain.notifications.model import Notification


class DirectoryRecord(msgspec.Struct, frozen=True, kw_only=True):
    where: str  # "students.csv line 4", "page 2 item 17": what an error points to
    values: dict[str, Any]


class DirectoryRead(msgspec.Struct, frozen=True, kw_only=True):
    records: list[DirectoryRecord]
    # Opaque to the use case: what `acknowledge` needs (the files read).
    handles: list[str] = msgspec.field(default_factory=list)


class StudentDirectory(Protocol):
    """The student information system's list of students: every student, each time."""

    @property
    def source(self) -> str:
        """`files`, `http`, or `none` when no source is configured."""
        ...

    async def read(self) -> DirectoryRead | None:
        """The whole directory, or None when there is nothing new to read (an empty drop
        folder): a run without data must not count everyone absent."""
        ...

    async def acknowledge(self, read: DirectoryRead) -> None:
        """Called after a run applied `read`: a file drop moves its files aside."""
        ...


class SyncStore(Protocol):
    """Sync runs and the residents they reconcile; each call is a transaction of its own."""

    async def add_run(self, run: SyncRun) -> None: ...
    async def get_run(self, run_id: UUID) -> SyncRun | None: ...
    async def page_runs(self, page: PageRequest) -> tuple[list[SyncRun], int]:
        """Newest first, and the total count."""
        ...

    async def finish_run(self, run: SyncRun, notifications: Sequence[Notification]) -> None:
        """Stores the finished run and the notifications that tell of it, together."""
        ...

    async def known_residents(self) -> list[KnownResident]: ...

    async def apply(self, plan: SyncPlan, run_id: UUID, now: datetime) -> None:
        """Creates, updates, deactivates and counts absences as `plan` says, all or nothing.
        Created residents are applicants; deactivated ones become former residents."""
        ...
