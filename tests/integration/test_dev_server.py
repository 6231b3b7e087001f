"""`residence dev` as an operator runs it: one process that migrates, serves the API and its
docs, and stops cleanly with exit code 0."""

import signal
from pathlib import Path

import httpx
import pytest

from tests.integration.residence_process import free_port, residence

# A Redis nobody listens on: `dev` must ignore REDIS_URL and still be ready.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_dev_serves_the_api_and_its_docs_then_stops_cleanly(
    tmp_path: Path, stop_signal: int
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    with residence(["dev", "--port", str(port)], tmp_path, REDIS_URL=UNREACHABLE_REDIS) as dev:
        ready = dev.wait_until_ready(f"{base}/health/ready")
        assert {c["name"]: c["ok"] for c in ready.json()["components"]} == {
            "database": True,
            "broker": True,
        }
        dev.wait_for_output(f"{base}/schema/swagger")
        dev.wait_for_output(f"{base}/schema/redoc")

        created = httpx.post(
            f"{base}/api/buildings",
            json={"code": "nh", "name": "North Hall", "address": "1 College Road", "floors": 5},
            timeout=10,
        )
        assert created.status_code == 201, created.text
        assert created.json()["code"] == "NH"
        listed = httpx.get(f"{base}/api/buildings", timeout=10).json()
        assert [b["code"] for b in listed["items"]] == ["NH"]

        for docs in ("/schema/swagger", "/schema/redoc"):
            page = httpx.get(f"{base}{docs}", timeout=10)
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")

        assert dev.stop(stop_signal) == 0, dev.transcript()

    transcript = dev.transcript()
    assert "REDIS_URL is set but ignored" in transcript
    assert "Traceback" not in transcript
    assert (tmp_path / "var" / "residence.db").is_file()
