from litestar import Controller, Response, get
from litestar.di import NamedDependency

from application.system.health import CheckReadiness, ReadinessView


class HealthController(Controller):
    path = "/health"
    tags = ["Health"]

    @get("/live", summary="Liveness", description="Answers 200 while the process serves requests.")
    async def live(self) -> dict[str, str]:
        return {"status": "ok"}

    @get(
        "/ready",
        summary="Readiness",
        description="200 when the database and the task broker answer; 503 naming the failing part.",
    )
    async def ready(
        self, check_readiness: NamedDependency[CheckReadiness]
    ) -> Response[ReadinessView]:
        report = await check_readiness()
        return Response(report, status_code=200 if report.ready else 503)
