"""GET /metrics: who may scrape it, and what it reports."""

import re

import pytest
from dependency_injector import providers

from application.system.figures import JobCount, StoredFigures
from entrypoints.container import Container
from tests.fakes.system import FixedFigureStore, FixedQueueGauge
from tests.unit.accounts_api import Caller, Client
from tests.unit.conftest import UNIT_ENVIRONMENT

SCRAPER_TOKEN = "scraper-token-0123456789abcdef-0123456789"


@pytest.fixture
def environment() -> dict[str, str]:
    return {**UNIT_ENVIRONMENT, "METRICS_TOKEN": SCRAPER_TOKEN}


@pytest.fixture
def figure_store() -> FixedFigureStore:
    return FixedFigureStore()


@pytest.fixture
def queue_gauge() -> FixedQueueGauge:
    return FixedQueueGauge(depth=7)


@pytest.fixture
def container(
    container: Container, figure_store: FixedFigureStore, queue_gauge: FixedQueueGauge
) -> Container:
    container.figure_store.override(providers.Object(figure_store))
    container.queue_gauge.override(providers.Object(queue_gauge))
    return container


def scrape_headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text; fails when it is absent."""
    label_text = ",".join(f'{key}="{value}"' for key, value in labels.items())
    pattern = re.escape(f"{name}{{{label_text}}}" if labels else name) + r" (\S+)"
    found = re.search(rf"^{pattern}$", text, re.MULTILINE)
    assert found is not None, f"{name} {labels} not in the exposition"
    return float(found.group(1))


async def test_metrics_refuse_a_request_without_a_token(anonymous: Caller) -> None:
    response = await anonymous.get("/metrics")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_metrics_refuse_a_wrong_static_token(http: Client) -> None:
    response = await http.get("/metrics", headers=scrape_headers("x" * 40))

    assert response.status_code == 401


async def test_metrics_refuse_staff(staff: Caller) -> None:
    response = await staff.get("/metrics")

    assert response.status_code == 403


async def test_an_admin_may_read_metrics(admin: Caller) -> None:
    response = await admin.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")


async def test_metrics_report_the_operational_figures(
    http: Client, figure_store: FixedFigureStore
) -> None:
    figure_store.figures = StoredFigures(
        jobs=[
            JobCount(kind="imports.run", state="running", count=2),
            JobCount(kind="bookings.allocate", state="queued", count=5),
        ],
        outbox_backlog=11,
        outbox_failed=1,
        booking_holds=4,
    )

    text = (await http.get("/metrics", headers=scrape_headers(SCRAPER_TOKEN))).text

    assert sample(text, "residence_jobs", kind="imports.run", state="running") == 2
    assert sample(text, "residence_jobs", kind="bookings.allocate", state="queued") == 5
    assert sample(text, "residence_outbox_backlog") == 11
    assert sample(text, "residence_outbox_failed") == 1
    assert sample(text, "residence_booking_holds") == 4
    assert sample(text, "residence_task_queue_depth") == 7


async def test_an_unknown_queue_depth_is_left_out(
    http: Client, queue_gauge: FixedQueueGauge
) -> None:
    queue_gauge.queue_depth = None

    text = (await http.get("/metrics", headers=scrape_headers(SCRAPER_TOKEN))).text

    assert "residence_task_queue_depth" not in text


async def test_request_latency_is_counted_by_route_template(staff: Caller, admin: Caller) -> None:
    await staff.get("/api/buildings")
    await staff.get("/api/buildings/00000000-0000-0000-0000-000000000000")
    await staff.get("/no/such/route")

    text = (await admin.get("/metrics")).text

    count = "residence_http_request_duration_seconds_count"
    assert sample(text, count, method="GET", route="/api/buildings", status="2xx") == 1
    assert (
        sample(text, count, method="GET", route="/api/buildings/{building_id}", status="4xx") == 1
    )
    assert sample(text, count, method="GET", route="unmatched", status="4xx") == 1
    assert "00000000-0000" not in text
    assert "/no/such/route" not in text
