"""Redis restarts while a job waits in the queue: with the append-only file nothing accepted is
lost, and while Redis is down the API answers 503 problem documents, not 500s.

The test runs a Redis server of its own (append-only file on, as README's production setup
asks) so that it can kill and restart it without touching the machine's shared Redis."""

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import service_unavailable
from tests.integration.residence_process import (
    SECRET_KEY,
    create_admin,
    free_port,
    log_in,
    residence,
)

JOB_DEADLINE_SECONDS = 60.0
REDIS_START_SECONDS = 10.0
ROLL = "student_id,first_name,last_name,email\n00017,Ada,Okafor,ada@example.edu\n"


class RedisServer:
    """redis-server on a port and a folder of its own, durable after every write."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--dir", str(self.directory),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
            ],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + REDIS_START_SECONDS
        while (
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, check=False
            ).stdout.strip()
            != b"PONG"
        ):
            if time.monotonic() > deadline:
                raise AssertionError("the test's redis-server did not start")
            time.sleep(0.1)

    def crash(self) -> None:
        """SIGKILL: no shutdown save, only what the append-only file already holds survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        service_unavailable("redis-server", "the redis-server binary", FileNotFoundError())
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.crash()


def job_state(base: str, token: str, job_id: str) -> str:
    response = httpx.get(
        f"{base}/api/jobs/{job_id}", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    state: str = response.json()["state"]
    return state


def wait_for_job(base: str, token: str, job_id: str) -> str:
    deadline = time.monotonic() + JOB_DEADLINE_SECONDS
    while (state := job_state(base, token, job_id)) not in ("succeeded", "failed"):
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {state} after {JOB_DEADLINE_SECONDS}s")
        time.sleep(0.2)
    return state


def test_a_queued_import_survives_a_redis_crash_and_runs_once_redis_is_back(
    own_redis: RedisServer, postgres_url: str, tmp_path: Path
) -> None:
    env = {"DATABASE_URL": postgres_url, "REDIS_URL": own_redis.url, "SECRET_KEY": SECRET_KEY}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    create_admin(tmp_path, env)
    with residence(["serve", "--port", str(port)], tmp_path, **env) as api:
        api.wait_until_ready(f"{base}/health/ready")
        token = log_in(base)
        auth = {"Authorization": f"Bearer {token}"}
        # No worker runs yet: the accepted import waits in Redis.
        upload = httpx.post(
            f"{base}/api/imports",
            headers=auth,
            files={"file": ("roll.csv", ROLL.encode(), "text/csv")},
            data={"kind": "voters"},
            timeout=30,
        )
        assert upload.status_code == 202, upload.text
        job_id = upload.json()["id"]

        own_redis.crash()
        ready = httpx.get(f"{base}/health/ready", timeout=30)
        login = httpx.post(
            f"{base}/api/auth/login", json={"email": "x@example.edu", "password": "y" * 12}
        )
        own_redis.start()

        with residence(["worker", "--concurrency", "2"], tmp_path, **env) as worker:
            state = wait_for_job(base, token, job_id)
            assert worker.stop() == 0, worker.transcript()
        assert api.stop() == 0, api.transcript()

    assert ready.status_code == 503
    assert [c["name"] for c in ready.json()["components"] if not c["ok"]] == ["broker"]
    assert login.status_code == 503
    assert login.headers["content-type"].startswith("application/problem+json")
    assert state == "succeeded"
