"""The long-running processes of the `residence` command: each one stops cleanly on SIGINT
(Ctrl-C) or SIGTERM, finishing what it holds (requests, running tasks) before it returns."""

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from adapters.sqlalchemy.migrator import upgrade_to_head
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.http.asgi import APP_FACTORY
from entrypoints.settings import Settings
from entrypoints.worker.receiver import run_worker
from entrypoints.worker.scheduler import create_scheduler, run_scheduler
from entrypoints.worker.tasks import prepare_broker, start_client_broker

logger = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def on_stop_signals(stop: Callable[[], None]) -> Iterator[None]:
    loop = asyncio.get_running_loop()
    for stop_signal in STOP_SIGNALS:
        loop.add_signal_handler(stop_signal, stop)
    try:
        yield
    finally:
        for stop_signal in STOP_SIGNALS:
            loop.remove_signal_handler(stop_signal)


class _Server(uvicorn.Server):
    """uvicorn, minus its own signal handling: after a graceful stop uvicorn raises the signal
    again, which turns Ctrl-C into a KeyboardInterrupt and SIGTERM into death by signal. The
    process owns its signals instead and exits 0 after a clean stop."""

    def __init__(self, config: uvicorn.Config, on_listening: Callable[[], None]) -> None:
        super().__init__(config)
        self._on_listening = on_listening

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def startup(self, sockets: Any = None) -> None:
        await super().startup(sockets)
        if self.started:
            self._on_listening()

    def request_exit(self) -> None:
        # A second Ctrl-C stops waiting for open connections, as it does with plain uvicorn.
        if self.should_exit:
            self.force_exit = True
        self.should_exit = True


def announce(host: str, port: int) -> Callable[[], None]:
    base = f"http://{host}:{port}"

    def show() -> None:
        print(f"Campus Residence is listening on {base}", flush=True)
        print(f"  API docs (Swagger UI): {base}/schema/swagger", flush=True)
        print(f"  API docs (ReDoc):      {base}/schema/redoc", flush=True)
        print("Press Ctrl-C to stop.", flush=True)

    return show


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("the scheduler stopped", exc_info=task.exception())


async def run_dev(settings: Settings, host: str, port: int) -> None:
    """API, in-process broker and scheduler in one process, on a migrated database."""
    container = Container(settings=settings)
    scheduler: asyncio.Task[None] | None = None
    try:
        await upgrade_to_head(container.engine())
        config = uvicorn.Config(create_app(container), host=host, port=port, log_config=None)
        server = _Server(config, on_listening=announce(host, port))
        # The app's lifespan starts and stops the broker; the scheduler kicks into that broker.
        scheduler = asyncio.create_task(
            run_scheduler(create_scheduler(prepare_broker(container), container.schedule_claims()))
        )
        scheduler.add_done_callback(_log_failure)

        def stop() -> None:
            assert scheduler is not None
            scheduler.cancel()
            server.request_exit()

        with on_stop_signals(stop):
            await server.serve()
    finally:
        if scheduler is not None:
            scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await scheduler
        await container.engine().dispose()


async def run_api(host: str, port: int) -> None:
    """One API process; the app is built by the same factory the multi-process mode uses."""
    config = uvicorn.Config(APP_FACTORY, factory=True, host=host, port=port, log_config=None)
    server = _Server(config, on_listening=announce(host, port))
    with on_stop_signals(server.request_exit):
        await server.serve()


def run_api_workers(host: str, port: int, workers: int) -> None:
    """Several API processes on one socket; uvicorn's supervisor handles their signals."""
    print(f"API docs: http://{host}:{port}/schema/swagger and /schema/redoc", flush=True)
    uvicorn.run(APP_FACTORY, factory=True, host=host, port=port, workers=workers, log_config=None)


async def run_worker_process(settings: Settings, concurrency: int) -> None:
    container = Container(settings=settings)
    stop = asyncio.Event()
    try:
        with on_stop_signals(stop.set):
            await run_worker(prepare_broker(container), concurrency=concurrency, stop=stop)
    finally:
        # Tasks publish events through this backend; no app's lifespan closes it in a worker.
        await container.channels_backend().on_shutdown()
        await container.engine().dispose()


async def run_scheduler_process(settings: Settings) -> None:
    container = Container(settings=settings)
    broker = await start_client_broker(container)
    broker.is_scheduler_process = True
    scheduler = asyncio.create_task(
        run_scheduler(create_scheduler(broker, container.schedule_claims()))
    )
    try:
        with on_stop_signals(scheduler.cancel), contextlib.suppress(asyncio.CancelledError):
            await scheduler
    finally:
        await broker.shutdown()
        await container.engine().dispose()
    logger.info("scheduler stopped")
