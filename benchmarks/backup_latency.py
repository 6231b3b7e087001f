"""API latency while a backup runs: `residence dev` (SQLite, in-process broker, so the backup
shares the API's process and event loop: the hardest case) with ~100,000 residents. Clients
read GET /api/rooms?limit=50 without a backup, then while POST /api/backups runs to its end;
prints p50/p95/p99 for both, the backup's duration and its archive size."""

import asyncio
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, insert

from adapters.sqlalchemy.tables import residents
from benchmarks.harness import Latencies, benchmark_env, create_admin, dev_server, log_in, residence

RESIDENTS = 100_000
CLIENTS = 4
BASELINE_SECONDS = 15.0
ADMIN_EMAIL = "bench.admin@example.edu"
ADMIN_PASSWORD = "benchmark passphrase 2024"


def _load_residents(database: Path, count: int) -> None:
    """Straight into the table: registering 100,000 residents through the API would take
    longer than the benchmark itself."""
    now = datetime.now(UTC)
    engine = create_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        for start in range(0, count, 10_000):
            connection.execute(
                insert(residents),
                [
                    {
                        "id": uuid.uuid4(),
                        "student_id": f"B{number:07d}",
                        "first_name": "Bench",
                        "last_name": f"Resident {number}",
                        "email": f"bench.{number}@example.edu",
                        "gender": "undisclosed",
                        "department": "Physics",
                        "year_of_study": 1 + number % 5,
                        "status": "active",
                        "needs_accessible_room": False,
                        "locked_fields": [],
                        "created_at": now,
                        "updated_at": now,
                    }
                    for number in range(start, min(count, start + 10_000))
                ],
            )
    engine.dispose()


async def _reader(client: httpx.AsyncClient, latencies: Latencies, stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        response = await client.get("/api/rooms", params={"limit": 50})
        latencies.seconds.append(time.perf_counter() - started)
        response.raise_for_status()


async def _read_while(client: httpx.AsyncClient, until: asyncio.Future[None]) -> Latencies:
    latencies, stop = Latencies(), asyncio.Event()
    readers = [asyncio.create_task(_reader(client, latencies, stop)) for _ in range(CLIENTS)]
    await until
    stop.set()
    await asyncio.gather(*readers)
    return latencies


async def _backup_done(client: httpx.AsyncClient, job_id: str) -> dict[str, object]:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        job = (await client.get(f"/api/jobs/{job_id}")).json()
        if job["state"] in ("succeeded", "failed"):
            return dict(job)
        await asyncio.sleep(0.2)  # polling interval, not a wait for a result
    raise RuntimeError("the backup did not finish within 10 minutes")


async def _measure(base_url: str) -> tuple[Latencies, Latencies, float, dict[str, object]]:
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as client:
        client.headers.update(await log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        for _ in range(20):  # warm-up
            (await client.get("/api/rooms", params={"limit": 50})).raise_for_status()
        baseline = await _read_while(client, asyncio.ensure_future(asyncio.sleep(BASELINE_SECONDS)))
        started = time.perf_counter()
        response = await client.post("/api/backups")
        response.raise_for_status()
        done = asyncio.ensure_future(_backup_done(client, response.json()["id"]))
        during = await _read_while(client, done)
        seconds = time.perf_counter() - started
        backup = (await client.get(f"/api/backups/{response.json()['id']}")).json()
        return baseline, during, seconds, backup


def main(count: int = RESIDENTS) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = benchmark_env(Path(folder))
        residence("migrate", env=env)
        residence("seed-demo", env=env)
        _load_residents(Path(folder) / "residence.db", count)
        create_admin(env, ADMIN_EMAIL, ADMIN_PASSWORD)
        with dev_server(env) as (base_url, _server):
            baseline, during, seconds, backup = asyncio.run(_measure(base_url))
    print(
        f"== API latency during a backup: residence dev (SQLite), {count + 300:,} residents, "
        f"{CLIENTS} clients on GET /api/rooms?limit=50 =="
    )
    print(f"  {'no backup running':24s} {baseline.summary()}")
    print(f"  {'backup running':24s} {during.summary()}")
    print(
        f"backup: {backup['state']} in {seconds:.1f} s, archive {int(backup['size_bytes'] or 0) / 2**20:.1f} MiB, "
        f"{sum(dict(backup['row_counts']).values()):,} rows"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else RESIDENTS)
