"""`residence dev` as an operator runs it: one process that migrates, makes its signing key,
serves the API and its docs to an admin created with `residence create-admin`, and stops
cleanly with exit code 0."""

import signal
from pathlib import Path

import httpx
import pytest

from tests.integration.residence_process import free_port, residence
from tests.integration.running_api import ADMIN_EMAIL, bearer, create_admin, log_in

# A Redis nobody listens on: `dev` must ignore REDIS_URL and still be ready.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
NORTH_HALL = {"code": "nh", "name": "North Hall", "address": "1 College Road", "floors": 5}


def _log_in(base: str) -> dict[str, str]:
    return bearer(log_in(base))


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
        assert (tmp_path / "var" / "secret_key").is_file()

        # An operator adds the first admin while the server runs, on the same VAR_DIR.
        admin_id = create_admin(tmp_path)
        auth = _log_in(base)

        anonymous = httpx.post(f"{base}/api/buildings", json=NORTH_HALL, timeout=10)
        assert anonymous.status_code == 401, anonymous.text
        created = httpx.post(f"{base}/api/buildings", json=NORTH_HALL, headers=auth, timeout=10)
        assert created.status_code == 201, created.text
        assert created.json()["code"] == "NH"
        listed = httpx.get(f"{base}/api/buildings", headers=auth, timeout=10).json()
        assert [b["code"] for b in listed["items"]] == ["NH"]

        me = httpx.get(f"{base}/api/auth/me", headers=auth, timeout=10)
        assert me.status_code == 200, me.text
        assert (me.json()["id"], me.json()["email"], me.json()["role"]) == (
            admin_id,
            ADMIN_EMAIL,
            "admin",
        )

        for docs in ("/schema/swagger", "/schema/redoc"):
            page = httpx.get(f"{base}{docs}", timeout=10)
            assert page.status_code == 200
            assert page.headers["content-type"].startswith("text/html")

        assert dev.stop(stop_signal) == 0, dev.transcript()

    transcript = dev.transcript()
    assert "REDIS_URL is set but ignored" in transcript
    assert "Traceback" not in transcript
    assert (tmp_path / "var" / "residence.db").is_file()


def test_tokens_survive_a_restart_of_dev(tmp_path: Path) -> None:
    """The signing key is made once under VAR_DIR, so a restart does not sign everyone out."""
    create_admin(tmp_path)
    key_file = tmp_path / "var" / "secret_key"

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with residence(["dev", "--port", str(port)], tmp_path) as dev:
        dev.wait_until_ready(f"{base}/health/ready")
        auth = _log_in(base)
        key = key_file.read_text(encoding="utf-8")
        assert dev.stop() == 0, dev.transcript()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with residence(["dev", "--port", str(port)], tmp_path) as dev:
        dev.wait_until_ready(f"{base}/health/ready")
        me = httpx.get(f"{base}/api/auth/me", headers=auth, timeout=10)
        assert me.status_code == 200, me.text
        assert me.json()["email"] == ADMIN_EMAIL
        assert dev.stop() == 0, dev.transcript()

    assert key_file.read_text(encoding="utf-8") == key
