"""A real S3-compatible server for the storage tests: moto's server in a child process on a
free local port, with a bucket created over signed HTTP like any client would."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from adapters.http.sigv4 import EMPTY_SHA256, sign
from tests.integration.smtp_server import free_port

ACCESS_KEY = "residence-test"
SECRET_KEY = "residence-test-secret"
REGION = "us-east-1"
READY_DEADLINE_SECONDS = 30.0


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str

    def create_bucket(self, bucket: str) -> None:
        url = f"{self.endpoint_url}/{bucket}"
        headers = sign(
            "PUT",
            url,
            {},
            EMPTY_SHA256,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
            now=datetime.now(UTC),
        )
        response = httpx.put(url, headers=headers)
        assert response.status_code == 200, response.text


@contextmanager
def s3_server() -> Iterator[S3Server]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while True:
            try:
                httpx.get(f"{endpoint}/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the S3 test server did not start") from None
                time.sleep(0.1)  # polling interval while the server starts
        yield S3Server(endpoint)
    finally:
        process.terminate()
        process.wait(timeout=10)
