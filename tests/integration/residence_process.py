"""`residence ...` as a real subprocess, for the tests of the long-running commands.

Output is read by two threads into a queue, so a test can wait for a line with a deadline
instead of sleeping, and every failure message carries what the process said."""

import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

from entrypoints.settings import VARIABLES

# Generous: a cold interpreter imports Litestar, SQLAlchemy, Alembic and taskiq before it listens.
START_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 30.0
# A one-shot command (create-admin, migrate) also migrates and hashes a password.
RUN_TIMEOUT_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command() -> list[str]:
    # The console script installed with the project, as an operator would run it.
    script = Path(sys.executable).with_name("residence")
    if script.exists():
        return [str(script)]
    found = shutil.which("residence")
    return [found] if found else [sys.executable, "-m", "entrypoints.cli"]


def _environment(workdir: Path, env: dict[str, str]) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    return environment | {"VAR_DIR": str(workdir / "var"), "LOG_LEVEL": "INFO"} | env


def run_residence(
    arguments: list[str], workdir: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Runs a one-shot command to its end with `stdin` piped in, as a script would."""
    return subprocess.run(
        [*_command(), *arguments],
        cwd=workdir,
        env=_environment(workdir, env),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT_SECONDS,
        check=False,
    )


class ResidenceProcess:
    def __init__(self, arguments: list[str], workdir: Path, env: dict[str, str]) -> None:
        environment = _environment(workdir, env)
        self.arguments = arguments
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        # The working directory is the test's own, so no developer's `.env` is picked up.
        self.process = subprocess.Popen(
            [*_command(), *arguments],
            cwd=workdir,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._readers = [
            threading.Thread(target=self._read, args=(stream,), daemon=True)
            for stream in (self.process.stdout, self.process.stderr)
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.output.append(line)
            self.lines.put(line)

    def transcript(self) -> str:
        return f"`residence {' '.join(self.arguments)}` said:\n{''.join(self.output)}"

    def wait_for_output(self, text: str, timeout: float = START_TIMEOUT_SECONDS) -> None:
        if any(text in line for line in self.output):
            return
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                if text in self.lines.get(timeout=remaining):
                    return
            except queue.Empty:
                break
        raise AssertionError(f"no {text!r} within {timeout}s; {self.transcript()}")

    def wait_until_ready(self, url: str, timeout: float = START_TIMEOUT_SECONDS) -> httpx.Response:
        """Polls `url` until it answers 200; between attempts it waits on the process itself,
        so a process that dies fails the test at once instead of at the deadline."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                response = httpx.get(url, timeout=5)
                if response.status_code == 200:
                    return response
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} not ready within {timeout}s; {self.transcript()}")
            try:
                code = self.process.wait(timeout=0.2)
            except subprocess.TimeoutExpired:
                continue
            raise AssertionError(f"exited with {code} before {url} was ready; {self.transcript()}")

    def stop(self, stop_signal: int = signal.SIGTERM) -> int:
        """Sends `stop_signal` and returns the exit code, failing if it takes too long."""
        self.process.send_signal(stop_signal)
        try:
            code = self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as error:
            raise AssertionError(
                f"still running {STOP_TIMEOUT_SECONDS}s after {stop_signal}; {self.transcript()}"
            ) from error
        for reader in self._readers:
            reader.join(timeout=STOP_TIMEOUT_SECONDS)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@contextmanager
def residence(arguments: list[str], workdir: Path, **env: str) -> Iterator[ResidenceProcess]:
    process = ResidenceProcess(arguments, workdir, env)
    try:
        yield process
    finally:
        process.kill()


# The credentials of the processes the system tests start.
SECRET_KEY = "integration-tests-signing-key-0123456789"
ADMIN_EMAIL = "warden@example.edu"
ADMIN_PASSWORD = "correct horse battery staple"


def create_admin(workdir: Path, env: dict[str, str]) -> str:
    """`residence create-admin` (which also migrates the database); returns the admin's id."""
    created = run_residence(
        ["create-admin", "--email", ADMIN_EMAIL], workdir, stdin=f"{ADMIN_PASSWORD}\n", **env
    )
    assert created.returncode == 0, created.stderr
    return created.stdout.split("(")[1].split(")")[0]


def log_in(base: str) -> str:
    response = httpx.post(
        f"{base}/api/auth/login",
        json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
