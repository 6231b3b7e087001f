"""The production ASGI app, built by uvicorn in each of its worker processes
(`residence serve --workers N` runs `create_production_app` with factory=True)."""

from litestar import Litestar

from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.logs import configure_logging
from entrypoints.settings import load_settings

APP_FACTORY = "entrypoints.http.asgi:create_production_app"


def create_production_app() -> Litestar:
    settings = load_settings()
    # Worker processes are spawned fresh: they configure their own logging.
    configure_logging(settings.log_level, settings.log_format)
    return create_app(Container(settings=settings))
