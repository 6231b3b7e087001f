from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Stream
from litestar.status_codes import HTTP_202_ACCEPTED

from application.backups.backups import DownloadBackup, GetBackup, ListBackups, StartBackup
from application.backups.views import BackupPage, BackupView
from application.shared.paging import PageRequest
from domain.accounts.model import Principal, Role
from entrypoints.http.access import allowed
from entrypoints.http.docs import described_by, problems


class BackupController(Controller):
    path = "/api/backups"
    tags = ["Backups"]
    # A backup holds every record of every person: administrators only.
    opt = allowed(Role.ADMIN)

    @post(
        "/",
        summary="Start a backup",
        description=described_by(StartBackup),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403),
    )
    async def start(
        self, caller: NamedDependency[Principal], start_backup: NamedDependency[StartBackup]
    ) -> BackupView:
        return await start_backup(caller)

    @get(
        "/",
        summary="List backups",
        description=described_by(ListBackups),
        responses=problems(403, 422),
    )
    async def list(
        self, list_backups: NamedDependency[ListBackups], page: NamedDependency[PageRequest]
    ) -> BackupPage:
        return await list_backups(page)

    @get(
        "/{backup_id:uuid}",
        summary="Read a backup",
        description=described_by(GetBackup),
        responses=problems(403, 404),
    )
    async def read(
        self, backup_id: FromPath[UUID], get_backup: NamedDependency[GetBackup]
    ) -> BackupView:
        return await get_backup(backup_id)

    @get(
        "/{backup_id:uuid}/download",
        summary="Download a backup archive",
        description=described_by(DownloadBackup),
        responses=problems(403, 404),
        media_type="application/zip",
    )
    async def download(
        self, backup_id: FromPath[UUID], download_backup: NamedDependency[DownloadBackup]
    ) -> Stream:
        archive = await download_backup(backup_id)
        headers = {"Content-Disposition": f'attachment; filename="{archive.file_name}"'}
        if archive.size_bytes is not None:
            headers["Content-Length"] = str(archive.size_bytes)
        return Stream(archive.chunks, media_type="application/zip", headers=headers)
