import hmac
from typing import Any

from litestar import Response, get
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler

from application.system.figures import ReadOperationalFigures
from domain.accounts.model import Role
from domain.shared.errors import Forbidden, Unauthenticated
from entrypoints.container import Container
from entrypoints.http.access import PUBLIC
from entrypoints.http.authentication import bearer_token
from entrypoints.http.metrics import RequestMetrics, exposition

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


async def scraper_or_admin(
    connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler
) -> None:
    """A scraper cannot renew short-lived access tokens, so METRICS_TOKEN, a long static token,
    is accepted here and nowhere else; an admin's access token works too."""
    container: Container = connection.app.state["container"]
    token = bearer_token(connection.headers.get("authorization"))
    if token is None:
        raise Unauthenticated("a bearer token is required")
    expected = container.settings().metrics_token
    if expected is not None and hmac.compare_digest(token.encode(), expected.encode()):
        return
    caller = await container.accounts.authenticate()(token)
    if caller.role is not Role.ADMIN:
        raise Forbidden(f"the {caller.role} role may not read metrics")


@get(
    "/metrics",
    opt=dict(PUBLIC),  # authenticated by its own guard, which also takes METRICS_TOKEN
    guards=[scraper_or_admin],
    include_in_schema=False,
    cache=False,
)
async def metrics(
    read_operational_figures: NamedDependency[ReadOperationalFigures],
    request_metrics: NamedDependency[RequestMetrics],
) -> Response[bytes]:
    figures = await read_operational_figures()
    return Response(exposition(request_metrics, figures), media_type=PROMETHEUS_TEXT)
