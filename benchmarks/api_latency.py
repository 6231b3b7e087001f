"""API latency and throughput against `residence dev` (SQLite, in-process broker) on the demo
campus: a realistic mix of filtered lists, reads and writes from concurrent clients, each
request carrying an admin's bearer token; and the cost of a login, which is mostly Argon2."""

import asyncio
import random
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx

from benchmarks.harness import (
    Latencies,
    PeakMemory,
    benchmark_env,
    create_admin,
    dev_server,
    log_in,
    residence,
)

CLIENTS = 16
REQUESTS = 3000
LOGINS = 50
ADMIN_EMAIL = "bench.admin@example.edu"
ADMIN_PASSWORD = "benchmark passphrase 2024"


async def _client_loop(
    client: httpx.AsyncClient, plan: list[tuple[str, str, dict]], results: dict[str, Latencies]
) -> None:
    for name, method, kwargs in plan:
        started = time.perf_counter()
        response = await client.request(method, **kwargs)
        results[name].seconds.append(time.perf_counter() - started)
        if response.status_code >= 400:
            raise RuntimeError(f"{name}: {response.status_code} {response.text[:200]}")


def _plan(
    rng: random.Random, buildings: list[str], residents: list[str], count: int
) -> list[tuple[str, str, dict]]:
    plan: list[tuple[str, str, dict]] = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.35:
            params = {"building_id": rng.choice(buildings), "type": "double", "limit": 20}
            plan.append(
                ("GET /api/rooms (filtered)", "GET", {"url": "/api/rooms", "params": params})
            )
        elif roll < 0.60:
            params = {"q": rng.choice(["an", "li", "0001", "ma", "son"]), "limit": 20}
            plan.append(
                ("GET /api/residents?q=", "GET", {"url": "/api/residents", "params": params})
            )
        elif roll < 0.85:
            url = f"/api/residents/{rng.choice(residents)}"
            plan.append(("GET /api/residents/{id}", "GET", {"url": url}))
        elif roll < 0.95:
            unique = uuid.uuid4().hex[:20]  # plans share seeds; ids must still never collide
            body = {
                "student_id": f"B{unique}",
                "first_name": "Bench",
                "last_name": f"Mark{number}",
                "email": f"bench.{unique}@example.edu",
            }
            plan.append(("POST /api/residents", "POST", {"url": "/api/residents", "json": body}))
        else:
            body = {"department": rng.choice(["Physics", "History", "Law"])}
            url = f"/api/residents/{rng.choice(residents)}"
            plan.append(("PATCH /api/residents/{id}", "PATCH", {"url": url, "json": body}))
    return plan


async def _measure_logins(base_url: str) -> Latencies:
    """Sequential logins: each one verifies the password against its Argon2 hash."""
    latencies = Latencies()
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)  # warm-up, not measured
        for _ in range(LOGINS):
            started = time.perf_counter()
            await log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD)
            latencies.seconds.append(time.perf_counter() - started)
    return latencies


async def _measure(base_url: str) -> tuple[dict[str, Latencies], float]:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        # One login for all clients: the mix measures the API, not Argon2.
        client.headers.update(await log_in(client, ADMIN_EMAIL, ADMIN_PASSWORD))
        buildings = [b["id"] for b in (await client.get("/api/buildings")).json()["items"]]
        residents = [
            r["id"]
            for r in (await client.get("/api/residents", params={"limit": 500})).json()["items"]
        ]
        rng = random.Random(7)
        for _name, method, kwargs in _plan(rng, buildings, residents, 100):  # warm-up, not measured
            await client.request(method, **kwargs)
        results: dict[str, Latencies] = defaultdict(Latencies)
        plans = [
            _plan(random.Random(seed), buildings, residents, REQUESTS // CLIENTS)
            for seed in range(CLIENTS)
        ]
        started = time.perf_counter()
        await asyncio.gather(*(_client_loop(client, plan, results) for plan in plans))
        return results, time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = benchmark_env(Path(folder))
        residence("migrate", env=env)
        started = time.perf_counter()
        residence("seed-demo", env=env)
        seed_seconds = time.perf_counter() - started
        create_admin(env, ADMIN_EMAIL, ADMIN_PASSWORD)
        with dev_server(env) as (base_url, server), PeakMemory(server.pid) as memory:
            results, elapsed = asyncio.run(_measure(base_url))
            logins = asyncio.run(_measure_logins(base_url))
    total = sum(len(latencies.seconds) for latencies in results.values())
    print(
        "== API latency: residence dev (SQLite), demo campus, "
        f"{CLIENTS} concurrent clients, {total} requests =="
    )
    print(f"seed-demo (3 buildings, ~150 rooms, 300 residents, 2 terms): {seed_seconds:.2f} s")
    for name in sorted(results):
        print(f"  {name:30s} {results[name].summary()}")
    everything = Latencies([s for latencies in results.values() for s in latencies.seconds])
    print(f"  {'all requests':30s} {everything.summary()}")
    print(
        f"throughput: {total / elapsed:.0f} requests/s; server peak RSS: {memory.peak_mib:.0f} MiB"
    )
    print(f"== login: {LOGINS} sequential logins (Argon2id verification) ==")
    print(f"  {'POST /api/auth/login':30s} {logins.summary()}")


if __name__ == "__main__":
    main()
