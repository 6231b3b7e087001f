"""Booking allocation under racing: 1,000 booking requests for one stay, sent over HTTP by 50
concurrent clients at a campus with exactly 500 free beds, allocated by the real worker path.

On PostgreSQL (the default; a fresh database on TEST_POSTGRES_URL's server) it runs
`residence serve` and `residence worker` on a Redis broker (BENCH_REDIS_URL, else
TEST_REDIS_URL, else redis://127.0.0.1:6379/15); with `--database sqlite` it runs
`residence dev` (SQLite, in-process broker). It waits, polling with a deadline, until no
request is left `requested`, then prints bookings per second, p50/p95 of the time from request
to hold (the server's own timestamps), the outcome counts (expected: 500 held, 500
waitlisted) and the overlaps found by SQL (expected: none).

    uv run python -m benchmarks.bookings [--database sqlite] [--requests N] [--beds N]
"""

import argparse
import asyncio
import os
import re
import secrets
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from application.housing.commands import (
    CreateBuildingCommand,
    CreateRoomCommand,
    MoneyInput,
    RegisterResidentCommand,
)
from benchmarks.harness import Latencies, benchmark_env, create_admin, log_in, running, serving
from domain.bookings.model import ACTIVE_STATES
from domain.housing.model import RoomType
from entrypoints.container import Container
from entrypoints.settings import load_settings

POSTGRES = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("BENCH_REDIS_URL") or os.environ.get(
    "TEST_REDIS_URL", "redis://127.0.0.1:6379/15"
)
ADMIN_EMAIL = "bench.office@example.edu"
ADMIN_PASSWORD = "benchmark passphrase 2024"
HOLD_MINUTES = 30
ROOMS_PER_BUILDING = 50
DEADLINE_SECONDS = 600.0
POLL_SECONDS = 0.25
_ACTIVE = ", ".join(f"'{state.value}'" for state in sorted(ACTIVE_STATES))
# Two active bookings that overlap in time on one bed or one resident: what must never exist.
OVERLAPS = text(
    "SELECT count(*) FROM bookings a JOIN bookings b ON a.id < b.id "
    "AND (a.bed_id = b.bed_id OR a.resident_id = b.resident_id) "
    "AND a.starts_on < b.ends_on AND b.starts_on < a.ends_on "
    f"WHERE a.state IN ({_ACTIVE}) AND b.state IN ({_ACTIVE})"
)
FAILED_JOBS = text(
    "SELECT count(*) FROM jobs WHERE kind = 'bookings.allocate' AND state = 'failed'"
)


async def seed_campus(database_url: str, var_dir: Path, beds: int, residents: int) -> None:
    """Double rooms for exactly `beds` beds (an odd count gets one single), and the residents."""
    settings = load_settings({"DATABASE_URL": database_url, "VAR_DIR": str(var_dir)}, dotenv=None)
    container = Container(settings=settings)
    housing = container.housing
    rate = MoneyInput(amount=Decimal("40"), currency="EUR")
    try:
        building = None
        for number in range(beds // 2 + beds % 2):
            if number % ROOMS_PER_BUILDING == 0:
                code = f"B{number // ROOMS_PER_BUILDING}"
                command = CreateBuildingCommand(code=code, name=code, address="1 Road", floors=9)
                building = await housing.create_building()(command)
            assert building is not None
            room_type = RoomType.DOUBLE if 2 * (number + 1) <= beds else RoomType.SINGLE
            room = CreateRoomCommand(
                building_id=building.id,
                number=f"{100 + number % ROOMS_PER_BUILDING}",
                floor=1,
                type=room_type,
                nightly_rate=rate,
            )
            await housing.create_room()(room)
        for i in range(residents):
            person = RegisterResidentCommand(
                student_id=f"S{i:07d}", first_name="Bench", last_name=f"R{i}", email=f"r{i}@x.edu"
            )
            await housing.register_resident()(person)
    finally:
        await container.engine().dispose()


async def _residents(client: httpx.AsyncClient) -> list[str]:
    ids: list[str] = []
    while True:
        page = (
            await client.get("/api/residents", params={"limit": 500, "offset": len(ids)})
        ).json()
        ids += [item["id"] for item in page["items"]]
        if len(ids) >= page["total"]:
            return ids


async def _request_all(
    client: httpx.AsyncClient, resident_ids: list[str], clients: int, stay: dict[str, str]
) -> Latencies:
    latencies = Latencies()

    async def one_client(share: list[str]) -> None:
        for resident_id in share:
            started = time.perf_counter()
            response = await client.post("/api/bookings", json={"resident_id": resident_id, **stay})
            latencies.seconds.append(time.perf_counter() - started)
            if response.status_code != 202:
                raise RuntimeError(f"request: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(one_client(resident_ids[n::clients]) for n in range(clients)))
    return latencies


async def _wait_until_decided(client: httpx.AsyncClient) -> int:
    """Requests still `requested` at the end: 0, unless the deadline passed first."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        page = await client.get("/api/bookings", params={"state": "requested", "limit": 1})
        pending = int(page.json()["total"])
        if pending == 0 or time.monotonic() > deadline:
            return pending
        await asyncio.sleep(POLL_SECONDS)  # polling interval; the deadline bounds the wait


async def _bookings(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while True:
        params = {"limit": 500, "offset": len(found)}
        page = (await client.get("/api/bookings", params=params)).json()
        found += page["items"]
        if len(found) >= page["total"]:
            return found


def _decided_at(booking: dict[str, Any]) -> datetime | None:
    if booking["state"] == "held":
        held = datetime.fromisoformat(booking["hold_expires_at"])
        return held - timedelta(minutes=HOLD_MINUTES)
    if booking["state"] == "waitlisted":
        return datetime.fromisoformat(booking["waitlisted_at"])
    return None


def report(
    bookings: list[dict[str, Any]], posts: Latencies, pending: int, sql: dict[str, int]
) -> None:
    requested = [datetime.fromisoformat(b["requested_at"]) for b in bookings]
    decided = [(b, _decided_at(b)) for b in bookings]
    to_hold = Latencies(
        [
            (at - datetime.fromisoformat(b["requested_at"])).total_seconds()
            for b, at in decided
            if at is not None and b["state"] == "held"
        ]
    )
    ends = [at for _, at in decided if at is not None]
    span = (max(ends) - min(requested)).total_seconds() if ends else float("nan")
    states: dict[str, int] = {}
    for booking in bookings:
        states[booking["state"]] = states.get(booking["state"], 0) + 1
    print(f"  POST /api/bookings           {posts.summary()}")
    print(f"  request to hold              {to_hold.summary()}")
    print(f"  first request to last decision: {span:.2f} s, {len(ends) / span:.1f} bookings/s")
    print(f"  outcomes: {dict(sorted(states.items()))}; still requested at the deadline: {pending}")
    print(
        f"  SQL: overlapping active bookings {sql['overlaps']}, failed allocation jobs {sql['failed']}"
    )


async def _check_sql(database_url: str) -> dict[str, int]:
    engine = create_async_engine(database_url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            overlaps = (await connection.execute(OVERLAPS)).scalar_one()
            failed = (await connection.execute(FAILED_JOBS)).scalar_one()
    finally:
        await engine.dispose()
    return {"overlaps": int(overlaps), "failed": int(failed)}


async def drive(base_url: str, clients: int, database_url: str) -> None:
    start = date.today() + timedelta(days=30)
    stay = {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=90)).isoformat()}
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        # One office login for every client: this measures allocation, not Argon2.
        client.headers.update(await log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        resident_ids = await _residents(client)
        posts = await _request_all(client, resident_ids, clients, stay)
        pending = await _wait_until_decided(client)
        bookings = await _bookings(client)
    sql = await _check_sql(load_settings({"DATABASE_URL": database_url}, dotenv=None).database_url)
    report(bookings, posts, pending, sql)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database on TEST_POSTGRES_URL's server, dropped afterwards."""
    admin_url = load_settings({"DATABASE_URL": POSTGRES}, dotenv=None).database_url
    name = f"residence_bench_{secrets.token_hex(4)}"

    async def execute(statement: str) -> None:
        admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        async with admin.connect() as connection:
            await connection.exec_driver_sql(statement)
        await admin.dispose()

    asyncio.run(execute(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(args: argparse.Namespace, database_url: str, folder: Path) -> None:
    env = benchmark_env(folder, DATABASE_URL=database_url, HOLD_MINUTES=str(HOLD_MINUTES))
    create_admin(env, ADMIN_EMAIL, ADMIN_PASSWORD)  # also migrates
    asyncio.run(seed_campus(database_url, folder, args.beds, args.requests))
    log = folder / "processes.log"
    print(
        f"== bookings: {args.requests} requests, {args.clients} concurrent clients, "
        f"{args.beds} free beds, {args.database} =="
    )
    with serving_processes(args, env, log) as base_url:
        asyncio.run(drive(base_url, args.clients, database_url))
    print_errors(log.read_text().splitlines())


def print_errors(lines: list[str]) -> None:
    """How many errors the processes logged, and what the tracebacks ended with."""
    errors = sum("ERROR" in line for line in lines)
    causes: dict[str, int] = {}
    for line in lines:
        if re.match(r"^[\w.]+(Error|Exception|Conflict|NotFound)\b", line):
            causes[line[:160]] = causes.get(line[:160], 0) + 1
    print(f"  errors logged by the server and worker: {errors}")
    for cause, count in sorted(causes.items(), key=lambda item: -item[1])[:5]:
        print(f"    {count} x {cause}")


@contextmanager
def serving_processes(args: argparse.Namespace, env: dict[str, str], log: Path) -> Iterator[str]:
    """The processes that serve the benchmark: embedded, or API + worker on Redis."""
    if args.database == "sqlite":
        with serving(env, "dev", log=log) as (base_url, _):
            yield base_url
        return
    production = env | {"REDIS_URL": REDIS, "SECRET_KEY": secrets.token_urlsafe(48)}
    production |= {"DATABASE_POOL_SIZE": str(args.pool_size)}
    worker = ("worker", "--concurrency", str(args.worker_concurrency))
    with running(production, *worker, log=log), serving(production, "serve", log=log) as started:
        yield started[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bookings")
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--beds", type=int, default=500)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--worker-concurrency", type=int, default=50)
    parser.add_argument("--pool-size", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        if args.database == "sqlite":
            run(args, f"sqlite:///{folder}/bench.db", Path(folder))
            return
        with postgres_database() as database_url:
            run(args, database_url, Path(folder))


if __name__ == "__main__":
    main()
