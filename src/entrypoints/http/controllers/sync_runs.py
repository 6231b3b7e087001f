from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED

from application.directory.sync import GetSyncRun, ListSyncRuns, StartSync
from application.directory.views import StartSyncCommand, SyncRunPage, SyncRunView
from application.shared.paging import PageRequest
from domain.accounts.model import Principal
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class SyncRunController(Controller):
    path = "/api/sync-runs"
    tags = ["Directory sync"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Start a directory sync",
        description=described_by(StartSync),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 409, 422),
    )
    async def start(
        self,
        data: JSONBody[StartSyncCommand],
        caller: NamedDependency[Principal],
        start_sync: NamedDependency[StartSync],
    ) -> SyncRunView:
        return await start_sync(caller, data.dry_run)

    @get(
        "/",
        summary="List directory sync runs",
        description=described_by(ListSyncRuns),
        responses=problems(403, 422),
    )
    async def list(
        self, list_sync_runs: NamedDependency[ListSyncRuns], page: NamedDependency[PageRequest]
    ) -> SyncRunPage:
        return await list_sync_runs(page)

    @get(
        "/{run_id:uuid}",
        summary="Read a directory sync run's report",
        description=described_by(GetSyncRun),
        responses=problems(403, 404),
    )
    async def read(
        self, run_id: FromPath[UUID], get_sync_run: NamedDependency[GetSyncRun]
    ) -> SyncRunView:
        return await get_sync_run(run_id)
