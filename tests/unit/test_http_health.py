"""Liveness and readiness, with the probes replaced by fakes that a test can fail."""

from tests.fakes import StaticProbe
from tests.unit.housing_api import Client


async def test_live_answers_while_the_process_serves(client: Client) -> None:
    response = await client.get("/health/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_every_probe_answers(client: Client) -> None:
    response = await client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "components": [
            {"name": "database", "ok": True, "detail": None},
            {"name": "broker", "ok": True, "detail": None},
        ],
    }


async def test_not_ready_names_the_failing_component(
    client: Client, probes: list[StaticProbe]
) -> None:
    probes[1].failure = "connection refused"

    response = await client.get("/health/ready")

    assert response.status_code == 503
    report = response.json()
    assert report["ready"] is False
    failing = [c for c in report["components"] if not c["ok"]]
    assert [c["name"] for c in failing] == ["broker"]
    assert "connection refused" in failing[0]["detail"]


async def test_ready_again_once_the_component_recovers(
    client: Client, probes: list[StaticProbe]
) -> None:
    probes[0].failure = "database is starting up"
    assert (await client.get("/health/ready")).status_code == 503

    probes[0].failure = None

    assert (await client.get("/health/ready")).status_code == 200
