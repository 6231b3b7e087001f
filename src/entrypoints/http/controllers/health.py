from litestar import Controller, Response, get
from litestar.di import NamedDependency

from application.system.health import CheckReadiness, ReadinessView
from entrypoints.http.access import PUBLIC
from entrypoints.http.docs import PublicOperation


class HealthController(Controller):
    path = "/health"
    tags = ["Health"]
    # Load balancers and orchestrators probe these without credentials.
    opt = dict(PUBLIC)

    @get(
        "/live",
        summary="Liveness",
        description="Answers 200 while the process serves requests.",
        operation_class=PublicOperation,
    )
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        summary="Readiness",
        description="200 when the database and the task broker answer; 503 naming the failing part.",
        operation_class=PublicOperation,
    )
    async def ready(
        self, check_readiness: NamedDependency[CheckReadiness]
    ) -> Response[ReadinessView]:
        report = await check_readiness()
        return Response(report, status_code=200 if report.ready else 503)
