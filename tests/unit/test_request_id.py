"""The request id: returned on every response, stamped on log lines, carried into tasks."""

import json
import logging
import sys

from taskiq import InMemoryBroker

from adapters.system.correlation import bind_request_id, current_request_id, unbind_request_id
from adapters.taskiq.background import TaskiqBackgroundTasks
from adapters.taskiq.correlation import RequestIdMiddleware
from adapters.taskiq.probe import track_lifecycle
from entrypoints.logs import AddRequestId, JsonFormatter
from tests.unit.accounts_api import Caller, Client


async def test_each_response_carries_a_new_request_id(client: Client) -> None:
    first = await client.get("/api/buildings")
    second = await client.get("/api/buildings")

    assert len(first.headers["x-request-id"]) == 32
    assert first.headers["x-request-id"] != second.headers["x-request-id"]


async def test_a_plain_request_id_from_a_proxy_is_kept(client: Client) -> None:
    response = await client.get("/api/buildings", headers={"X-Request-ID": "lb-4f2a:17"})

    assert response.headers["x-request-id"] == "lb-4f2a:17"


async def test_a_request_id_that_could_forge_log_lines_is_replaced(client: Client) -> None:
    hostile = "abc\ninjected line" + "x" * 100
    response = await client.get("/api/buildings", headers={"X-Request-ID": hostile[:60]})

    assert response.headers["x-request-id"] != hostile[:60]
    assert "\n" not in response.headers["x-request-id"]


async def test_refusals_carry_a_request_id_too(anonymous: Caller) -> None:
    response = await anonymous.get("/api/buildings")

    assert response.status_code == 401
    assert response.headers["x-request-id"]


async def test_a_task_runs_under_the_request_id_of_its_kicker() -> None:
    seen: list[str | None] = []
    broker = track_lifecycle(InMemoryBroker().with_middlewares(RequestIdMiddleware()))

    @broker.task(task_name="tests.remember_request_id")
    async def remember() -> None:
        seen.append(current_request_id())

    await broker.startup()
    token = bind_request_id("req-42")
    try:
        await TaskiqBackgroundTasks(broker).enqueue("tests.remember_request_id")
    finally:
        unbind_request_id(token)
    await broker.wait_all()
    await broker.shutdown()

    assert seen == ["req-42"]


def test_json_log_lines_name_the_request() -> None:
    record = logging.LogRecord("residence", logging.INFO, __file__, 1, "held %s", ("bed A",), None)
    token = bind_request_id("req-7")
    try:
        AddRequestId().filter(record)
    finally:
        unbind_request_id(token)

    line = json.loads(JsonFormatter().format(record))

    assert line["message"] == "held bed A"
    assert line["request_id"] == "req-7"
    assert line["level"] == "INFO"
    assert line["logger"] == "residence"


def test_json_log_lines_keep_a_traceback_on_one_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "residence", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )

    text = JsonFormatter().format(record)

    assert "\n" not in text
    assert "ValueError: boom" in json.loads(text)["exception"]
