"""Voter-roll import speed: a 1,000,000-row CSV (2% invalid rows) imported by RunImport into a
fresh PostgreSQL database (TEST_POSTGRES_URL's server) and a fresh SQLite file, then imported
again (every row unchanged). Prints rows/s, seconds and this process's peak RSS (the worker).

    uv run python -m benchmarks.import_voters [ROWS]
"""

import asyncio
import os
import resource
import secrets
import sys
import tempfile
import time
from pathlib import Path
from uuid import uuid4

from sqlalchemy import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from adapters.sqlalchemy.migrator import upgrade_to_head
from application.imports.views import StartImportCommand
from domain.accounts.model import Principal, Role
from entrypoints.container import Container
from entrypoints.settings import load_settings

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def write_roll(path: Path, rows: int) -> None:
    with path.open("w") as out:
        out.write("Student ID,First Name,Last Name,Email,Department,Year,Eligible\n")
        for i in range(rows):
            year = "12" if i % 50 == 7 else str(1 + i % 5)  # 2% invalid: year out of range
            out.write(f"{i:08d},First{i},Last{i},s{i}@example.edu,Dept{i % 40},{year},yes\n")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def run_once(container: Container, roll: Path, size: int, rows: int, label: str) -> None:
    caller = Principal(user_id=uuid4(), role=Role.ADMIN)
    command = StartImportCommand(
        path=str(roll),
        file_name=roll.name,
        size=size,
        sha256=secrets.token_hex(32),
    )
    started = time.perf_counter()
    view = (await container.imports.start_import()(caller, command)).view
    await container.imports.run_import()(view.id)
    seconds = time.perf_counter() - started
    report = (await container.imports.get_import()(view.id)).report or {}
    print(
        f"{label:<28} {seconds:7.1f} s {rows / seconds:>10,.0f} rows/s  peak RSS "
        f"{peak_rss_mb():6.0f} MB  created {report.get('created')} unchanged "
        f"{report.get('unchanged')} invalid {report.get('invalid')}"
    )


async def bench(
    database_url: str, var_dir: Path, roll: Path, size: int, rows: int, name: str
) -> None:
    settings = load_settings(
        {"DATABASE_URL": database_url, "VAR_DIR": str(var_dir), "SECRET_KEY": "x" * 40}, dotenv=None
    )
    container = Container(settings=settings)
    await upgrade_to_head(container.engine())
    try:
        await run_once(container, roll, size, rows, f"{name}: first import")
        await run_once(container, roll, size, rows, f"{name}: again (unchanged)")
    finally:
        await container.engine().dispose()


async def main_async(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        roll = Path(folder) / "roll.csv"
        write_roll(roll, rows)
        size = os.path.getsize(roll)  # noqa: ASYNC240 - the setup, not the measured part
        await bench(f"sqlite:///{folder}/bench.db", Path(folder), roll, size, rows, "SQLite")
        admin_url = load_settings({"DATABASE_URL": POSTGRES}, dotenv=None).database_url
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        name = f"residence_bench_{secrets.token_hex(4)}"
        async with admin.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
            await bench(url, Path(folder), roll, size, rows, "PostgreSQL")
        finally:
            async with admin.connect() as connection:
                await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.dispose()


def main(rows: int = 1_000_000) -> None:
    asyncio.run(main_async(rows))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
