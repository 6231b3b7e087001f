"""Done means: a WebSocket client connected to an API process receives a job's progress events
published by a separate process through Redis. `residence serve` and a process with no web app
at all (job_publisher.py, playing a worker) share one database and one Redis; the client
receives every step. The token travels in the query string, as a browser may send it, and must
not reach the API's log. (That every API process hears every event is test_redis_event_bus's.)"""

import asyncio
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.integration.residence_process import (
    RUN_TIMEOUT_SECONDS,
    SECRET_KEY,
    _environment,
    create_admin,
    free_port,
    log_in,
    residence,
)
from tests.integration.test_redis_event_bus import wait_until_subscribed

PUBLISHER = Path(__file__).with_name("job_publisher.py")
STEPS = 5
EVENT_TIMEOUT_SECONDS = 30.0


class Publisher:
    """job_publisher.py in a process of its own, answering one line per command."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(PUBLISHER)],
            cwd=workdir,
            env=_environment(workdir, env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    async def answer(self) -> str:
        assert self.process.stdout is not None
        line = await asyncio.wait_for(
            asyncio.to_thread(self.process.stdout.readline), RUN_TIMEOUT_SECONDS
        )
        if not line:
            self.process.kill()
            assert self.process.stderr is not None
            raise AssertionError(f"the publisher died: {self.process.stderr.read()}")
        return line.strip()

    async def ask(self, *words: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(" ".join(words) + "\n")
        self.process.stdin.flush()
        return await self.answer()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()


async def receive(socket: ClientConnection) -> dict[str, Any]:
    message = await asyncio.wait_for(socket.recv(), EVENT_TIMEOUT_SECONDS)
    assert isinstance(message, str), "events are text frames"
    decoded: dict[str, Any] = json.loads(message)
    return decoded


async def events_until_finished(socket: ClientConnection) -> list[dict[str, Any]]:
    events = [await receive(socket)]
    while events[-1]["state"] not in ("succeeded", "failed"):
        events.append(await receive(socket))
    return events


async def refusal(url: str, subprotocols: list[str] | None = None) -> tuple[int, str]:
    """How a real server ends a socket it will not serve: opened first, then closed."""
    async with connect(url, subprotocols=subprotocols) as socket:  # type: ignore[arg-type]
        with pytest.raises(ConnectionClosed) as closed:
            await receive(socket)
    assert closed.value.rcvd is not None, "the server sent no close frame"
    return closed.value.rcvd.code, closed.value.rcvd.reason


async def follow(
    port: int, token: str, job_id: str, publisher: Publisher, redis: Redis
) -> list[dict[str, Any]]:
    """A client of the API process follows the job while the publisher runs it."""
    topic = f"jobs.{job_id}"
    # The token in the query string, as a browser that cannot send subprotocols would.
    async with connect(f"ws://127.0.0.1:{port}/ws?token={token}") as socket:
        await socket.send(json.dumps({"subscribe": topic}))
        assert await receive(socket) == {"type": "subscribed", "topic": topic}
        await wait_until_subscribed(redis, topic, listeners=1)

        assert await publisher.ask("run", job_id, str(STEPS)) == "done"
        return await events_until_finished(socket)


async def test_a_job_reported_by_another_process_reaches_a_client_of_the_api_process(
    tmp_path: Path, redis_url: str, redis_client: Redis
) -> None:
    env = {
        "REDIS_URL": redis_url,
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'residence.db'}",
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Everything that needs a cold interpreter starts at once.
    admin_created = asyncio.create_task(asyncio.to_thread(create_admin, tmp_path, env))
    publisher = Publisher(tmp_path, env)
    with residence(["serve", "--port", str(port)], tmp_path, **env) as api:
        try:
            await asyncio.to_thread(api.wait_until_ready, f"{base}/health/ready")
            admin_id = await admin_created
            token = await asyncio.to_thread(log_in, base)
            assert await publisher.answer() == "ready"
            job_id = await publisher.ask("create", admin_id, str(STEPS))

            anonymous = await refusal(f"ws://127.0.0.1:{port}/ws")
            forged = await refusal(f"ws://127.0.0.1:{port}/ws", ["bearer", "not-a-token"])
            events = await follow(port, token, job_id, publisher, redis_client)
        finally:
            publisher.close()
        assert await asyncio.to_thread(api.stop) == 0, api.transcript()

    assert anonymous == (1008, "a bearer token is required")
    assert forged == (1008, "the access token is invalid or has expired")
    expected = [("running", 0)] + [("running", done) for done in range(1, STEPS + 1)]
    expected.append(("succeeded", STEPS))
    assert [(e["type"], e["id"]) for e in events] == [("job", job_id)] * len(expected)
    assert [(e["state"], e["processed"]) for e in events] == expected
    assert events[-1]["result"] == {"counted": STEPS}
    transcript = api.transcript()
    assert "/ws?token=[redacted]" in transcript
    assert token not in transcript
    assert "Traceback" not in transcript
