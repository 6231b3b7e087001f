"""Prometheus metrics: request latency measured by this process, and the campus-wide
operational figures read from the shared stores at each scrape."""

import time
from collections.abc import Iterable

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from application.system.figures import OperationalFigures

# Requests that matched no route are counted under one label: raw paths would let any
# client create unbounded series.
UNMATCHED = "unmatched"


class RequestMetrics:
    """One registry per app (tests build many apps in one process). Latency is labelled by the
    route's template, never by the raw path."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "residence_http_request_duration_seconds",
            "Time from request to the end of the response, by route.",
            ["method", "route", "status"],
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.latency.labels(method, route, f"{status // 100}xx").observe(seconds)


def with_request_metrics(app: ASGIApp, metrics: RequestMetrics) -> ASGIApp:
    """Times every HTTP request, refusals and unknown paths included: it wraps the app's whole
    handler, outside routing and the exception handlers, where every response passes."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before starting a response

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, send_and_note_status)
        finally:
            # Set by the router once the path matched a route.
            route = scope.get("path_template") or UNMATCHED
            elapsed = time.perf_counter() - started
            metrics.observe(scope["method"], route, status, elapsed)

    return handle


class _Snapshot(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterable[Metric]:
        return self._families


def _figure_families(figures: OperationalFigures) -> list[Metric]:
    jobs = GaugeMetricFamily(
        "residence_jobs", "Background jobs by kind and state.", labels=["kind", "state"]
    )
    for count in figures.jobs:
        jobs.add_metric([count.kind, count.state], count.count)
    families: list[Metric] = [
        jobs,
        GaugeMetricFamily(
            "residence_outbox_backlog",
            "Notifications queued or being sent.",
            value=figures.outbox_backlog,
        ),
        GaugeMetricFamily(
            "residence_outbox_failed",
            "Notifications given up on after their last attempt.",
            value=figures.outbox_failed,
        ),
        GaugeMetricFamily(
            "residence_booking_holds",
            "Bookings holding a bed while awaiting payment.",
            value=figures.booking_holds,
        ),
    ]
    if figures.queue_depth is not None:
        families.append(
            GaugeMetricFamily(
                "residence_task_queue_depth",
                "Task messages waiting for a worker or not yet acknowledged.",
                value=figures.queue_depth,
            )
        )
    return families


def exposition(metrics: RequestMetrics, figures: OperationalFigures) -> bytes:
    snapshot = CollectorRegistry()
    snapshot.register(_Snapshot(_figure_families(figures)))
    return generate_latest(metrics.registry) + generate_latest(snapshot)
