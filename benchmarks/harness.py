"""Shared pieces of the benchmarks: a real server process, latency statistics, peak memory."""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from entrypoints.settings import VARIABLES

READY_DEADLINE_SECONDS = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# The console script installed beside this interpreter by `uv sync`.
RESIDENCE = str(Path(sys.executable).with_name("residence"))


def residence(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RESIDENCE, *args], env=env, input=stdin, check=True, capture_output=True, text=True
    )


def create_admin(env: dict[str, str], email: str, password: str) -> None:
    """`residence create-admin` with the password piped in, as a provisioning script does."""
    residence("create-admin", "--email", email, env=env, stdin=f"{password}\n")


async def log_in(client: httpx.AsyncClient, email: str, password: str) -> dict[str, str]:
    """Logs in and returns the header that authenticates every later request."""
    response = await client.post("/api/auth/login", json={"email": email, "password": password})
    if response.status_code != 200:
        raise RuntimeError(f"login: {response.status_code} {response.text[:200]}")
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


class PeakMemory:
    """Samples a process's resident set size in the background and keeps the highest value."""

    def __init__(self, pid: int, interval_seconds: float = 0.05) -> None:
        self._process = psutil.Process(pid)
        self._interval = interval_seconds
        self._stop = threading.Event()
        self.peak_bytes = 0
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                rss = self._process.memory_info().rss
            except psutil.Error:
                return
            self.peak_bytes = max(self.peak_bytes, rss)
            self._stop.wait(self._interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_mib(self) -> float:
        return self.peak_bytes / (1024 * 1024)


@contextmanager
def dev_server(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`residence dev` on a free port, ready to serve; stopped with Ctrl-C at the end."""
    with serving(env, "dev") as started:
        yield started


@contextmanager
def serving(
    env: dict[str, str], *command: str, log: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`residence <command> --port P` (dev or serve) on a free port, ready to serve."""
    port = free_port()
    with running(env, *command, "--port", str(port), log=log) as server:
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + READY_DEADLINE_SECONDS
        while True:
            try:
                if httpx.get(f"{base_url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the server did not become ready")
            time.sleep(0.1)  # polling interval while waiting for the server to start
        yield base_url, server


@contextmanager
def running(
    env: dict[str, str], *command: str, log: Path | None = None
) -> Iterator[subprocess.Popen[bytes]]:
    """A long-running `residence` command (a server, a worker), its output appended to `log`
    if given; stopped with Ctrl-C at the end."""
    with contextlib.ExitStack() as files:
        output = subprocess.DEVNULL if log is None else files.enter_context(log.open("ab"))
        process = subprocess.Popen(
            [RESIDENCE, *command], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.send_signal(2)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@dataclass
class Latencies:
    seconds: list[float] = field(default_factory=list)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.seconds)
        index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
        return ordered[index] * 1000

    def summary(self) -> str:
        return (
            f"n={len(self.seconds):5d}  p50={self.percentile(0.50):7.2f} ms  "
            f"p95={self.percentile(0.95):7.2f} ms  p99={self.percentile(0.99):7.2f} ms"
        )


def benchmark_env(var_dir: Path, **extra: str) -> dict[str, str]:
    # Only the embedded defaults, whatever the caller's own configuration says; without
    # SECRET_KEY, `residence dev` signs with the key it keeps under VAR_DIR.
    env = {key: value for key, value in os.environ.items() if key not in VARIABLES}
    env.update({"VAR_DIR": str(var_dir), "LOG_LEVEL": "WARNING", **extra})
    return env
