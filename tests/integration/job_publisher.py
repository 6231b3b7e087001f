"""A process that is not the API, reporting a job through the production container exactly as a
worker's task does: `Container(...).jobs.job_reporter()`, with the event bus that REDIS_URL
selects. Started by test_event_stream_processes.py, it answers one line per command read from
standard input, so that its start-up overlaps the API's:

    create <creator id> <steps>   ->  the new job's id
    run <job id> <steps>          ->  "done", after starting it, reporting each step, succeeding
"""

import asyncio
import sys
from uuid import UUID

from application.jobs.reporter import JobReporter
from entrypoints.container import Container
from entrypoints.settings import load_settings


async def obey(reporter: JobReporter, command: str, subject: str, steps: int) -> str:
    if command == "create":
        return str(await reporter.create("tests.count", {"steps": steps}, UUID(subject)))
    job_id = UUID(subject)
    await reporter.start(job_id)
    for done in range(1, steps + 1):
        await reporter.progress(job_id, done, steps)
    await reporter.succeed(job_id, {"counted": steps})
    return "done"


async def main() -> None:
    container = Container(settings=load_settings())
    assert container.settings().task_broker == "redis", "set REDIS_URL: this plays a worker"
    reporter = container.jobs.job_reporter()
    try:
        print("ready", flush=True)
        while line := await asyncio.to_thread(sys.stdin.readline):
            command, subject, steps = line.split()
            print(await obey(reporter, command, subject, int(steps)), flush=True)
    finally:
        await container.channels_backend().on_shutdown()
        await container.engine().dispose()


if __name__ == "__main__":
    asyncio.run(main())
