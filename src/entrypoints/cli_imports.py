"""`residence import voters|residents FILE`: the import use cases run inline, no broker needed.

The file is imported where it lies (it is not copied into the uploads folder); the report is
printed as JSON, and the exit code says how it went: 0 succeeded, 1 failed, 2 refused at the
start (a bad option, an unsupported file, replace without confirmation)."""

import argparse
import asyncio
import dataclasses
import hashlib
import json
import sys
from pathlib import Path

import msgspec

from adapters.sqlalchemy.migrator import upgrade_to_head
from application.imports.views import ImportView, StartImportCommand
from domain.imports.headers import ImportKind
from domain.imports.model import ImportMode
from domain.jobs.model import JobState
from domain.shared.errors import DomainError, InvalidValue
from entrypoints.container import Container
from entrypoints.settings import Settings

FAILED = 1
REFUSED = 2
_HASH_BLOCK = 1024 * 1024


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _command(args: argparse.Namespace, path: Path) -> StartImportCommand:
    return StartImportCommand(
        path=str(path),
        file_name=path.name,
        size=path.stat().st_size,
        sha256=_sha256(path),
        kind=ImportKind(args.kind),
        mode=ImportMode(args.mode),
        dry_run=args.dry_run,
        confirm=args.confirm,
        force=args.force,
        sheet=args.sheet,
    )


async def run_import_inline(settings: Settings, command: StartImportCommand) -> ImportView:
    """Starts the import and, unless it repeats an earlier one, runs it to its end here."""
    container = Container(settings=settings)
    try:
        await upgrade_to_head(container.engine())
        started = await container.imports.start_import()(None, command)
        if started.upload_kept:
            await container.imports.run_import()(started.view.id)
        view: ImportView = await container.imports.get_import()(started.view.id)
        return view
    finally:
        await container.engine().dispose()


def import_file(settings: Settings, args: argparse.Namespace) -> int:
    path = Path(args.file).resolve()
    if not path.is_file():
        print(f"error: file: {args.file} is not a file", file=sys.stderr)
        return REFUSED
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if settings.sqlite_path is not None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    # No task is kicked from here: the import runs in this process, and the emails it queues
    # are sent by the serving process's relay.
    settings = dataclasses.replace(settings, redis_url=None)
    try:
        view = asyncio.run(run_import_inline(settings, _command(args, path)))
    except DomainError as error:
        # An InvalidValue's message starts with its field already.
        field = None if isinstance(error, InvalidValue) else getattr(error, "field", None)
        print(f"error: {field + ': ' if field else ''}{error.message}", file=sys.stderr)
        return REFUSED
    print(json.dumps(msgspec.to_builtins(view), indent=2))
    return 0 if view.state is JobState.SUCCEEDED else FAILED


def add_import_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    command = commands.add_parser(
        "import", help="import a voter roll or a residents list from a CSV or workbook file"
    )
    command.add_argument("kind", choices=[kind.value for kind in ImportKind])
    command.add_argument("file", help="CSV, XLSX, XLSM, XLSB, XLS or ODS")
    command.add_argument(
        "--mode", choices=[mode.value for mode in ImportMode], default=ImportMode.UPSERT.value
    )
    command.add_argument("--dry-run", action="store_true", help="report only, change nothing")
    command.add_argument("--confirm", action="store_true", help="confirm mode replace")
    command.add_argument(
        "--force", action="store_true", help="import again a file imported in the last 24 hours"
    )
    command.add_argument("--sheet", help="the workbook's sheet to read (default: the first)")
    command.set_defaults(run=import_file)
