"""Voter-roll imports over HTTP: the import resource, and the first users' upload and
task-status paths (with or without their trailing slash)."""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio
import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIType, Operation, RequestBody, Schema
from litestar.params import FromPath
from litestar.status_codes import HTTP_202_ACCEPTED

from application.imports.reads import GetImport, GetTaskStatus, ListImportProblems, ListImports
from application.imports.start import StartedImport, StartImport
from application.imports.views import (
    ImportPage,
    ImportView,
    StartImportCommand,
    TaskStatusView,
    UploadAccepted,
)
from application.shared.paging import PageRequest
from domain.accounts.model import Principal
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode
from domain.shared.errors import InvalidValue
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems
from entrypoints.http.uploads import receive_upload

FORM_FIELDS = ("kind", "mode", "dry_run", "confirm", "force", "default_eligible")
UPLOAD_DOC = (
    "Multipart form: `file` (CSV, XLSX, XLSM, XLSB, XLS or ODS) and the optional fields "
    "`kind` (voters), `mode` (upsert, append, replace), `dry_run`, `confirm`, `force`, "
    "`default_eligible` (true/false).\n\n"
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FLAG = Schema(type=OpenAPIType.BOOLEAN)
UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(type=OpenAPIType.STRING, format="binary"),
        # The kinds StartImport takes so far.
        "kind": Schema(type=OpenAPIType.STRING, enum=[ImportKind.VOTERS.value]),
        "mode": Schema(type=OpenAPIType.STRING, enum=[mode.value for mode in ImportMode]),
        **{name: _FLAG for name in FORM_FIELDS if name not in {"kind", "mode"}},
    },
    examples=[
        {"file": "student_id,email\n00412345,ada.okafor@example.edu\n", "dry_run": True},
    ],
)


@dataclass
class UploadOperation(Operation):
    """An upload route reads its multipart body itself, streaming the file to disk, so Litestar
    has no body type to describe: this documents the form."""

    def __post_init__(self) -> None:
        self.request_body = RequestBody(
            content={"multipart/form-data": OpenAPIMediaType(schema=UPLOAD_FORM)}, required=True
        )


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: such text gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_body(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def _command(fields: dict[str, str], **upload: Any) -> StartImportCommand:
    unknown = sorted(set(fields) - set(FORM_FIELDS))
    if unknown:
        raise InvalidValue(unknown[0], "is not a field of an upload")
    try:
        return msgspec.convert({**fields, **upload}, StartImportCommand, strict=False)
    except msgspec.ValidationError as error:
        field = str(error).rsplit("$.", 1)[-1].rstrip("`") if "$." in str(error) else "body"
        raise InvalidValue(field, str(error)) from error


async def _start(
    request: Request[Any, Any, Any], caller: Principal, start_import: StartImport
) -> StartedImport:
    settings = request.app.state["container"].settings()
    upload = await receive_upload(request, settings.var_dir / "uploads", settings.import_max_bytes)
    assert upload.path is not None
    kept = False
    try:
        command = _command(
            upload.fields,
            path=str(upload.path),
            file_name=upload.file_name,
            size=upload.size,
            sha256=upload.sha256,
        )
        started = await start_import(caller, command)
        kept = started.upload_kept
        return started
    finally:
        if not kept:
            await anyio.to_thread.run_sync(partial(Path(upload.path).unlink, missing_ok=True))


class ImportController(Controller):
    path = "/api/imports"
    tags = ["Imports"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Upload a voter roll to import",
        description=UPLOAD_DOC + described_by(StartImport),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 409, 413, 415, 422),
        request_max_body_size=None,
        operation_class=UploadOperation,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        caller: NamedDependency[Principal],
        start_import: NamedDependency[StartImport],
    ) -> ImportView:
        return (await _start(request, caller, start_import)).view

    @get(
        "/",
        summary="List imports",
        description=described_by(ListImports),
        responses=problems(403, 422),
    )
    async def list(
        self, list_imports: NamedDependency[ListImports], page: NamedDependency[PageRequest]
    ) -> ImportPage:
        return await list_imports(page)

    @get(
        "/{import_id:uuid}",
        summary="Read an import and its report",
        description=described_by(GetImport),
        responses=problems(403, 404),
    )
    async def read(
        self, import_id: FromPath[UUID], get_import: NamedDependency[GetImport]
    ) -> ImportView:
        return await get_import(import_id)

    @get(
        "/{import_id:uuid}/errors.csv",
        summary="Every problem of an import, as CSV",
        description=described_by(ListImportProblems),
        responses=problems(403, 404),
        media_type="text/csv",
    )
    async def errors(
        self,
        import_id: FromPath[UUID],
        list_import_problems: NamedDependency[ListImportProblems],
    ) -> Response[str]:
        found = await list_import_problems(import_id)
        body = csv_body(
            ("line", "column", "value", "message"),
            ((p.line, p.column, p.value, p.message) for p in found),
        )
        disposition = f'attachment; filename="import-{import_id}-errors.csv"'
        return Response(body, media_type="text/csv", headers={"Content-Disposition": disposition})


class SeedUploadController(Controller):
    """The paths the first users' tools call."""

    path = "/api"
    tags = ["Imports"]
    opt = allowed(*OFFICE)

    @post(
        ["/upload", "/upload/"],
        summary="Upload a voter roll (first users' path)",
        description=UPLOAD_DOC + described_by(StartImport),
        status_code=HTTP_202_ACCEPTED,
        responses=problems(403, 409, 413, 415, 422),
        request_max_body_size=None,
        operation_class=UploadOperation,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        caller: NamedDependency[Principal],
        start_import: NamedDependency[StartImport],
    ) -> UploadAccepted:
        started = await _start(request, caller, start_import)
        return UploadAccepted(
            message="File uploaded and processing started", task_id=str(started.view.id)
        )

    @get(
        ["/task-status/{task_id:uuid}", "/task-status/{task_id:uuid}/"],
        summary="Read an upload's task status (first users' path)",
        description=described_by(GetTaskStatus),
        responses=problems(403, 404),
    )
    async def task_status(
        self, task_id: FromPath[UUID], get_task_status: NamedDependency[GetTaskStatus]
    ) -> TaskStatusView:
        return await get_task_status(task_id)
