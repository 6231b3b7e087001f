"""The Litestar application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dependency_injector import providers
from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import RedocRenderPlugin, SwaggerRenderPlugin

from entrypoints.container import Container, use_case_providers
from entrypoints.http.controllers.beds import BedController
from entrypoints.http.controllers.buildings import BuildingController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.residents import ResidentController
from entrypoints.http.controllers.rooms import RoomController
from entrypoints.http.controllers.terms import TermController
from entrypoints.http.paging import provide_page
from entrypoints.http.problems import EXCEPTION_HANDLERS
from entrypoints.worker.tasks import start_client_broker

API_DESCRIPTION = """Campus Residence: buildings, rooms, beds, residents and terms of a university's
residence office. Errors are RFC 9457 problem details that name the offending field."""

# JSON bodies are small; routes that take uploads raise their own limit.
DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

ROUTE_HANDLERS: list[Any] = [
    HealthController,
    BuildingController,
    RoomController,
    BedController,
    ResidentController,
    TermController,
]


def _resolver(provider: providers.Provider[object]) -> Provide:
    async def resolve() -> object:
        return provider()

    return Provide(resolve, use_cache=True)


def create_app(container: Container) -> Litestar:
    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        # The API kicks tasks; with the in-process broker it also runs them.
        broker = await start_client_broker(container)
        try:
            yield
        finally:
            await broker.shutdown()
            await container.engine().dispose()

    dependencies = {
        name: _resolver(provider) for name, provider in use_case_providers(container).items()
    }
    dependencies["page"] = Provide(provide_page, sync_to_thread=False)
    return Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,
        request_max_body_size=DEFAULT_BODY_LIMIT_BYTES,
        lifespan=[lifespan],
        openapi_config=OpenAPIConfig(
            title="Campus Residence API",
            version="0.1.0",
            description=API_DESCRIPTION,
            path="/schema",
            render_plugins=[SwaggerRenderPlugin(), RedocRenderPlugin()],
        ),
        # The process configures logging once (entrypoints.logs); Litestar must not replace it.
        logging_config=None,
        state={"container": container},
    )
