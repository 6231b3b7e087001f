"""The Litestar application factory."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from dependency_injector import providers
from litestar import Litestar, Router
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig

from entrypoints.container import Container, use_case_providers
from entrypoints.http.access import PUBLIC, check_role
from entrypoints.http.audit import AuditMiddleware
from entrypoints.http.authentication import (
    BearerAuthenticationMiddleware,
    client_address_provider,
    provide_caller,
)
from entrypoints.http.controllers.announcements import AnnouncementController
from entrypoints.http.controllers.audit import AuditController
from entrypoints.http.controllers.auth import AuthController
from entrypoints.http.controllers.backups import BackupController
from entrypoints.http.controllers.beds import BedController
from entrypoints.http.controllers.bookings import AvailabilityController, BookingController
from entrypoints.http.controllers.buildings import BuildingController
from entrypoints.http.controllers.closures import ClosureController, ReportController
from entrypoints.http.controllers.health import HealthController
from entrypoints.http.controllers.imports import (
    ImportController,
    ResidentImportController,
    SeedUploadController,
)
from entrypoints.http.controllers.jobs import JobController
from entrypoints.http.controllers.maintenance import MaintenanceRequestController
from entrypoints.http.controllers.maintenance_office import (
    MaintenanceReportController,
    MaintenanceScheduleController,
    TechnicianController,
)
from entrypoints.http.controllers.metrics import metrics
from entrypoints.http.controllers.payments import BookingPaymentController, payment_webhook
from entrypoints.http.controllers.residents import ResidentController
from entrypoints.http.controllers.rooms import RoomController
from entrypoints.http.controllers.sandbox import SandboxCheckoutController
from entrypoints.http.controllers.sync_runs import SyncRunController
from entrypoints.http.controllers.terms import TermController
from entrypoints.http.controllers.users import UserController
from entrypoints.http.controllers.voters import VoterController
from entrypoints.http.docs import BEARER_REQUIRED, SECURITY_COMPONENTS
from entrypoints.http.docs_pages import RedocPage, SwaggerPage
from entrypoints.http.event_stream import channels_plugin, event_stream
from entrypoints.http.filters import provide_room_filter
from entrypoints.http.hardening import AllowedHostsMiddleware, add_security_headers, cors_config
from entrypoints.http.metrics import RequestMetrics, with_request_metrics
from entrypoints.http.paging import provide_page
from entrypoints.http.problems import EXCEPTION_HANDLERS
from entrypoints.http.request_id import with_request_id
from entrypoints.http.socket_policy import WebSocketRefusalMiddleware
from entrypoints.worker.tasks import start_client_broker

API_DESCRIPTION = """Campus Residence: buildings, rooms, beds, residents and terms of a university's
residence office. Errors are RFC 9457 problem details that name the offending field.

Every operation but logging in, refreshing a session and the health checks needs an access
token: get one from POST /api/auth/login and send it as `Authorization: Bearer <token>`
(in this page: the Authorize button).

Long work answers 202 with a job id: GET /api/jobs/{id} reads its progress, and the WebSocket
GET /ws pushes it (send `{"subscribe": "jobs.<id>"}`; the token goes in the subprotocols
`bearer, <token>` or in `?token=`, since browsers cannot set headers on a WebSocket)."""

# JSON bodies are small; routes that take uploads raise their own limit.
DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

ROUTE_HANDLERS: list[Any] = [
    HealthController,
    AuthController,
    UserController,
    AuditController,
    BuildingController,
    RoomController,
    BedController,
    ResidentController,
    TermController,
    JobController,
    AnnouncementController,
    ImportController,
    SeedUploadController,
    ResidentImportController,
    VoterController,
    BookingController,
    AvailabilityController,
    ClosureController,
    ReportController,
    MaintenanceRequestController,
    TechnicianController,
    MaintenanceScheduleController,
    MaintenanceReportController,
    event_stream,
    metrics,
    BackupController,
    SyncRunController,
    BookingPaymentController,
    payment_webhook,
    SandboxCheckoutController,
]


def _resolver(provider: providers.Provider[object]) -> Provide:
    async def resolve() -> object:
        return provider()

    return Provide(resolve, use_cache=True)


def _middleware(container: Container) -> list[Any]:
    """Outermost first: a forged Host is refused before anything else looks at the request;
    the audit sees the caller that authentication found."""
    return [
        AllowedHostsMiddleware(container.settings().allowed_hosts),
        WebSocketRefusalMiddleware(),
        DefineMiddleware(
            BearerAuthenticationMiddleware, authenticate=container.accounts.authenticate
        ),
        AuditMiddleware(record_audit=container.accounts.record_audit),
    ]


def _openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="Campus Residence API",
        version="0.1.0",
        description=API_DESCRIPTION,
        path="/schema",
        # The docs are public: they describe the API, they do not reach its data.
        openapi_router=Router(
            "/schema", route_handlers=[], include_in_schema=False, opt=dict(PUBLIC)
        ),
        render_plugins=[SwaggerPage(), RedocPage()],
        components=SECURITY_COMPONENTS,
        security=BEARER_REQUIRED,
    )


def create_app(container: Container) -> Litestar:
    settings = container.settings()

    @asynccontextmanager
    async def lifespan(_: Litestar) -> AsyncIterator[None]:
        # Without a signing key no one could log in: refuse to start rather than answer 500.
        container.accounts.authenticate()
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
    request_metrics = RequestMetrics()
    dependencies["request_metrics"] = Provide(lambda: request_metrics, sync_to_thread=False)
    dependencies["page"] = Provide(provide_page, sync_to_thread=False)
    dependencies["room_filter"] = Provide(provide_room_filter, sync_to_thread=False)
    dependencies["caller"] = Provide(provide_caller, sync_to_thread=False)
    dependencies["client_address"] = client_address_provider(settings.trusted_proxies)
    app = Litestar(
        route_handlers=ROUTE_HANDLERS,
        dependencies=dependencies,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=_middleware(container),
        guards=[check_role],
        before_send=[add_security_headers],
        cors_config=cors_config(settings.cors_origins),
        request_max_body_size=DEFAULT_BODY_LIMIT_BYTES,
        lifespan=[lifespan],
        plugins=[channels_plugin(container.channels_backend())],
        openapi_config=_openapi_config(),
        # The process configures logging once (entrypoints.logs); Litestar must not replace it.
        logging_config=None,
        state={"container": container},
    )
    # Around everything, as Litestar itself adds CORS: every response, refusals and unknown
    # paths included, carries a request id and is timed.
    app.asgi_handler = with_request_id(with_request_metrics(app.asgi_handler, request_metrics))
    return app
