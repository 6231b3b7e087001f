"""Voter-roll and resident imports over HTTP: the import resource, the residents shortcut, and
the first users' upload and task-status paths (with or without their trailing slash)."""

import csv
import io
from collections.abc import AsyncIterator, Iterable
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
from litestar.response import Stream
from litestar.status_codes import HTTP_202_ACCEPTED

from application.imports.reads import (
    ExportRejectedRows,
    GetImport,
    GetTaskStatus,
    ListImportProblems,
    ListImports,
    RejectedRows,
)
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

FORM_FIELDS = ("kind", "mode", "dry_run", "confirm", "force", "default_eligible", "sheet")
UPLOAD_DOC = (
    "Multipart form: `file` (CSV, XLSX, XLSM, XLSB, XLS or ODS) and the optional fields "
    "`kind` (voters, residents), `mode` (upsert, append, replace), `dry_run`, `confirm`, `force`, "
    "`default_eligible` (true/false), `sheet` (a workbook's sheet; the first by default).\n\n"
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FLAG = Schema(type=OpenAPIType.BOOLEAN)
UPLOAD_FORM = Schema(
    type=OpenAPIType.OBJECT,
    required=["file"],
    properties={
        "file": Schema(type=OpenAPIType.STRING, format="binary"),
        "kind": Schema(type=OpenAPIType.STRING, enum=[kind.value for kind in ImportKind]),
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


# What every upload route shares: 202, its problems, the form it documents, and no body limit
# (uploads stream to disk under IMPORT_MAX_BYTES instead).
UPLOAD_ROUTE: dict[str, Any] = {
    "status_code": HTTP_202_ACCEPTED,
    "responses": problems(403, 409, 413, 415, 422),
    "request_max_body_size": None,
    "operation_class": UploadOperation,
}


def safe_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: such text gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_body(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """CSV text of the rows (after `header`, unless it is empty), every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_download(content: AsyncIterator[str], file_name: str) -> Stream:
    """A CSV file streamed as it is produced, never held whole in memory."""
    disposition = f'attachment; filename="{file_name}"'
    return Stream(content, media_type="text/csv", headers={"Content-Disposition": disposition})


async def _rejected_csv(rejected: RejectedRows) -> AsyncIterator[str]:
    width = len(rejected.header)
    yield csv_body([*rejected.header, "error"], [])
    async for page in rejected.pages:
        yield csv_body((), (row.aligned(width) for row in page))


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
    request: Request[Any, Any, Any],
    caller: Principal,
    start_import: StartImport,
    kind: ImportKind | None = None,
) -> StartedImport:
    """`kind` set: the path says what is imported, and the form may only agree."""
    settings = request.app.state["container"].settings()
    upload = await receive_upload(request, settings.var_dir / "uploads", settings.import_max_bytes)
    assert upload.path is not None
    kept = False
    try:
        fields = dict(upload.fields)
        if kind is not None and fields.setdefault("kind", kind.value) != kind.value:
            raise InvalidValue("kind", f"this path imports {kind.value} only")
        command = _command(
            fields,
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
        **UPLOAD_ROUTE,
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

    @get(
        "/{import_id:uuid}/rejected.csv",
        summary="The rows an import did not store, ready to fix and upload again",
        description=described_by(ExportRejectedRows)
        + "\n\nCells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so that "
        "spreadsheets do not run them as formulas.",
        responses=problems(403, 404),
        media_type="text/csv",
    )
    async def rejected(
        self,
        import_id: FromPath[UUID],
        export_rejected_rows: NamedDependency[ExportRejectedRows],
    ) -> Stream:
        rejected = await export_rejected_rows(import_id)
        return csv_download(_rejected_csv(rejected), f"import-{import_id}-rejected.csv")


class ResidentImportController(Controller):
    """The residents shortcut of POST /api/imports."""

    path = "/api/residents/import"
    tags = ["Imports", "Residents"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Upload residents to import",
        description="The same as POST /api/imports with `kind=residents`.\n\n"
        + UPLOAD_DOC
        + described_by(StartImport),
        **UPLOAD_ROUTE,
    )
    async def upload(
        self,
        request: Request[Any, Any, Any],
        caller: NamedDependency[Principal],
        start_import: NamedDependency[StartImport],
    ) -> ImportView:
        return (await _start(request, caller, start_import, ImportKind.RESIDENTS)).view


class SeedUploadController(Controller):
    """The paths the first users' tools call."""

    path = "/api"
    tags = ["Imports"]
    opt = allowed(*OFFICE)

    @post(
        ["/upload", "/upload/"],
        summary="Upload a voter roll (first users' path)",
        description=UPLOAD_DOC + described_by(StartImport),
        **UPLOAD_ROUTE,
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
