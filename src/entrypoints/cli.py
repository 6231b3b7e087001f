"""`residence`: run, migrate and seed Campus Residence, and create its first admin.

Exit codes: 0 success (also after a clean stop on Ctrl-C or SIGTERM), 2 bad configuration,
usage or input (the message names the variable or the field), 130 when Ctrl-C interrupts
create-admin's password prompt, anything else an unexpected failure."""

import argparse
import asyncio
import dataclasses
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from adapters.sqlalchemy.migrator import current_revision, upgrade_to_head
from application.accounts.commands import CreateUserCommand
from application.accounts.views import UserView
from application.backups.ports import RestoreReport
from application.backups.views import BackupView
from application.housing.commands import SeedDemoCampusCommand
from application.housing.views import DemoCampusReport
from domain.accounts.model import Role
from domain.backups.archive import NotRestorable, TamperedArchive
from domain.backups.model import BackupState, BackupTrigger
from domain.housing.rules import normalise_email
from domain.shared.errors import Conflict, InvalidValue
from entrypoints.cli_imports import add_import_command
from entrypoints.container import Container
from entrypoints.logs import configure_logging
from entrypoints.processes import (
    run_api,
    run_api_workers,
    run_dev,
    run_scheduler_process,
    run_worker_process,
)
from entrypoints.secret_key import embedded_secret_key
from entrypoints.settings import Settings, SettingsError, load_settings

logger = logging.getLogger("residence")

USAGE_ERROR = 2
INTERRUPTED = 130
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

Command = Callable[[Settings, argparse.Namespace], int]


def _prepare_storage(settings: Settings) -> None:
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if settings.sqlite_path is not None:
        settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)


def _require_redis(settings: Settings, command: str) -> None:
    if settings.redis_url is None:
        raise SettingsError(
            f"REDIS_URL: `residence {command}` needs a shared Redis broker; an in-process "
            "broker cannot be shared between processes (set REDIS_URL=redis://host:6379/0)"
        )


def _require_secret_key(settings: Settings, command: str) -> None:
    if settings.secret_key is None:
        raise SettingsError(
            f"SECRET_KEY: `residence {command}` needs the key that signs access tokens, the same "
            "in every process; set it to a random value of at least 32 characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
        )


def dev(settings: Settings, args: argparse.Namespace) -> int:
    if settings.redis_url is not None:
        logger.info("REDIS_URL is set but ignored: `residence dev` runs tasks in this process")
        settings = dataclasses.replace(settings, redis_url=None)
    _prepare_storage(settings)
    settings = dataclasses.replace(settings, secret_key=embedded_secret_key(settings))
    logger.info("embedded mode: database %s, data in %s", settings.database_url, settings.var_dir)
    asyncio.run(run_dev(settings, args.host, args.port))
    return 0


def serve(settings: Settings, args: argparse.Namespace) -> int:
    _require_secret_key(settings, "serve")
    _prepare_storage(settings)
    if settings.redis_url is None:
        logger.warning("REDIS_URL is not set: tasks run inside the API process that kicks them")
    if args.workers > 1:
        run_api_workers(args.host, args.port, args.workers)
    else:
        asyncio.run(run_api(args.host, args.port))
    return 0


def worker(settings: Settings, args: argparse.Namespace) -> int:
    _require_redis(settings, "worker")
    _require_secret_key(settings, "worker")
    asyncio.run(run_worker_process(settings, args.concurrency))
    return 0


def scheduler(settings: Settings, args: argparse.Namespace) -> int:
    _require_redis(settings, "scheduler")
    _require_secret_key(settings, "scheduler")
    asyncio.run(run_scheduler_process(settings))
    return 0


async def _migrate(settings: Settings) -> str | None:
    engine = Container(settings=settings).engine()
    try:
        await upgrade_to_head(engine)
        return await current_revision(engine)
    finally:
        await engine.dispose()


def migrate(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_storage(settings)
    revision = asyncio.run(_migrate(settings))
    print(f"database is at revision {revision} (head)")
    return 0


async def _seed_demo(settings: Settings) -> DemoCampusReport:
    container = Container(settings=settings)
    try:
        # Seeding needs the current schema; on an up-to-date database this does nothing.
        await upgrade_to_head(container.engine())
        return await container.housing.seed_demo_campus()(SeedDemoCampusCommand())
    finally:
        await container.engine().dispose()


def seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_storage(settings)
    report = asyncio.run(_seed_demo(settings))
    if not report.seeded:
        codes = ", ".join(report.existing_codes)
        print(f"The demo campus is already there (buildings {codes}); nothing changed.")
        return 0
    print(
        f"Seeded the demo campus: {report.buildings} buildings, {report.rooms} rooms with "
        f"{report.beds} beds, {report.residents} residents, {report.terms} terms."
    )
    if report.residents_skipped or report.terms_skipped:
        print(
            f"Skipped {report.residents_skipped} residents and {report.terms_skipped} terms "
            "that clashed with existing records."
        )
    return 0


def _read_password(stdin: TextIO) -> str:
    """At a terminal, a hidden prompt asked twice; otherwise one line of standard input, so a
    script can pipe the password in (an argument would show in the process list)."""
    if stdin.isatty():
        try:
            password = getpass.getpass("Password: ")
            repeated = getpass.getpass("Password (again): ")
        except EOFError:
            raise InvalidValue("password", "no password was entered") from None
        if password != repeated:
            raise InvalidValue("password", "the two entries do not match")
        return password
    line = stdin.readline()
    if not line:
        raise InvalidValue("password", "expected one line on standard input, got none")
    return line.removesuffix("\n").removesuffix("\r")


async def _create_admin(settings: Settings, email: str, password: str) -> UserView:
    container = Container(settings=settings)
    try:
        await upgrade_to_head(container.engine())
        command = CreateUserCommand(email=email, password=password, role=Role.ADMIN)
        admin: UserView = await container.accounts.create_user()(command)
        return admin
    finally:
        await container.engine().dispose()


def create_admin(settings: Settings, args: argparse.Namespace) -> int:
    try:
        # A bad address fails before the password is asked for, not after.
        email = normalise_email(args.email)
        try:
            password = _read_password(sys.stdin)
        except KeyboardInterrupt:
            print("\ninterrupted; no account was created", file=sys.stderr)
            return INTERRUPTED
        _prepare_storage(settings)
        admin = asyncio.run(_create_admin(settings, email, password))
    except InvalidValue as error:  # its message starts with the field's name
        print(f"error: {error.message}", file=sys.stderr)
        return USAGE_ERROR
    except Conflict as error:
        field = f"{error.field}: " if error.field else ""
        print(f"error: {field}{error.message}", file=sys.stderr)
        return USAGE_ERROR
    print(f"Created admin {admin.email} ({admin.id})")
    return 0


async def _backup(settings: Settings) -> BackupView:
    container = Container(settings=settings)
    try:
        return await container.backups.back_up_now()(BackupTrigger.CLI)
    finally:
        await container.engine().dispose()


def backup(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_storage(settings)
    view = asyncio.run(_backup(settings))
    if view.state is not BackupState.SUCCEEDED or view.storage_key is None:
        print(f"error: backup {view.id} failed: {view.error}", file=sys.stderr)
        return 1
    where = (
        str(settings.storage_dir / view.storage_key)
        if settings.storage_backend == "local"
        else f"{settings.storage_url.rstrip('/')}/{view.storage_key}"
    )
    rows = sum(view.row_counts.values())
    print(f"backup {view.id}: {where}")
    print(f"{view.size_bytes} bytes, {rows} rows, schema revision {view.schema_revision}")
    return 0


async def _restore(settings: Settings, archive: Path, replace: bool) -> RestoreReport:
    container = Container(settings=settings)
    try:
        return await container.backups.restore_backup()(archive, replace=replace)
    finally:
        await container.engine().dispose()


def restore(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_storage(settings)
    archive = Path(args.archive)
    if not archive.is_file():
        print(f"error: archive: {archive} is not a file", file=sys.stderr)
        return USAGE_ERROR
    try:
        report = asyncio.run(_restore(settings, archive, args.replace))
    except (TamperedArchive, NotRestorable) as error:
        print(f"error: {error.message}", file=sys.stderr)
        return USAGE_ERROR
    rows = sum(report.row_counts.values())
    print(
        f"restored {rows} rows in {len(report.row_counts)} tables from {archive} "
        f"(schema revision {report.schema_revision}, now at {report.migrated_to})"
    )
    return 0


def _count(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text}")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port between 0 and 65535, got {text}")
    return value


def _add_listen_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, help="port to listen on")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="residence",
        description="Campus Residence: housing, bookings, maintenance and the voter roll.",
        epilog="Configuration comes from the environment and ./.env (DATABASE_URL, REDIS_URL, "
        "SECRET_KEY, VAR_DIR, LOG_LEVEL, ...).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    command = commands.add_parser(
        "dev", help="everything in one process: API, tasks, scheduler (SQLite, no Redis)"
    )
    _add_listen_options(command)
    command.set_defaults(run=dev)

    command = commands.add_parser("serve", help="the production API (uvicorn)")
    _add_listen_options(command)
    command.add_argument("--workers", type=_count, default=1, help="API processes")
    command.set_defaults(run=serve)

    command = commands.add_parser("worker", help="run tasks from the Redis broker")
    command.add_argument("--concurrency", type=_count, default=10, help="tasks run at once")
    command.set_defaults(run=worker)

    command = commands.add_parser("scheduler", help="kick scheduled tasks (run exactly one)")
    command.set_defaults(run=scheduler)

    command = commands.add_parser("migrate", help="upgrade the database schema to the newest")
    command.set_defaults(run=migrate)

    command = commands.add_parser("seed-demo", help="fill an empty campus with demo data")
    command.set_defaults(run=seed_demo)

    command = commands.add_parser(
        "create-admin",
        help="create an admin account (password from a prompt, or one line of standard input)",
    )
    command.add_argument("--email", required=True, help="the admin's email, used to log in")
    command.set_defaults(run=create_admin)

    add_import_command(commands)
    command = commands.add_parser("backup", help="write a backup archive to STORAGE_URL now")
    command.set_defaults(run=backup)

    command = commands.add_parser(
        "restore", help="load a backup archive into an empty database (SQLite or PostgreSQL)"
    )
    command.add_argument("archive", help="the backup archive (.zip) to load")
    command.add_argument(
        "--replace", action="store_true", help="drop everything in the database first"
    )
    command.set_defaults(run=restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Command = args.run
    try:
        settings = load_settings()
        configure_logging(settings.log_level, settings.log_format)
        return run(settings, args)
    except SettingsError as error:
        print(f"error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
