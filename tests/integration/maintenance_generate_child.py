"""A scheduler-side process that generates preventive work orders:
`python -m tests.integration.maintenance_generate_child <database url> <redis url> <var dir> <runs>`.

It builds the production container (PostgreSQL, Redis broker), prints READY, waits for a line
on standard input so that two such processes start together, then runs the generate task's use
case `runs` times at once and prints `MADE <count>`."""

import asyncio
import sys

from entrypoints.container import Container
from entrypoints.settings import load_settings
from entrypoints.worker.tasks import start_client_broker

READY = "READY"
MADE = "MADE"


async def main(database_url: str, redis_url: str, var_dir: str, runs: int) -> None:
    settings = load_settings(
        {
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "VAR_DIR": var_dir,
            "SECRET_KEY": "integration-tests-only-signing-key-0123456789",
        },
        dotenv=None,
    )
    container = Container(settings=settings)
    broker = await start_client_broker(container)
    try:
        generate = container.maintenance.generate_preventive_work()
        print(READY, flush=True)
        await asyncio.to_thread(sys.stdin.readline)
        made = await asyncio.gather(*(generate() for _ in range(runs)))
        print(MADE, sum(made), flush=True)
    finally:
        await broker.shutdown()
        await container.engine().dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
