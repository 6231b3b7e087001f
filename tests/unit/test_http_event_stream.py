"""GET /ws through the app built from fakes, with the real in-process event bus: a caller
follows the topics it may see and receives what the container's event bus publishes."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from litestar import Litestar, WebSocket, websocket
from litestar.exceptions import WebSocketDisconnect
from litestar.testing import WebSocketTestSession

from application.accounts.sessions import INVALID_SESSION
from domain.accounts.model import Role
from domain.jobs.rules import new_job
from entrypoints.container import Container
from entrypoints.http.access import allowed
from entrypoints.http.event_stream import MAX_TOPICS_PER_CONNECTION
from tests.fakes import InMemoryJobRepository
from tests.unit.accounts_api import Caller, Client, Json
from tests.unit.socket_api import (
    POLICY_VIOLATION,
    Via,
    ask,
    on_app_loop,
    open_socket,
    receive,
    refusal,
)

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


async def a_job(jobs: InMemoryJobRepository, created_by: str | None) -> str:
    job = new_job("imports.voters", {}, None if created_by is None else UUID(created_by), NOW)
    await jobs.add(job)
    return str(job.id)


def publish(http: Client, container: Container, topic: str, event: Json) -> None:
    on_app_loop(http, container.event_bus().publish, topic, event)


def subscribed(topic: str) -> Json:
    return {"type": "subscribed", "topic": topic}


@pytest.mark.parametrize("via", ["subprotocol", "query", "header"])
async def test_a_resident_follows_their_own_job_and_receives_its_progress(
    http: Client,
    container: Container,
    resident: Caller,
    job_repository: InMemoryJobRepository,
    via: Via,
) -> None:
    job_id = await a_job(job_repository, resident.user_id)
    reporter = container.jobs.job_reporter()

    with await open_socket(http, resident.token, via) as socket:
        # A browser fails a connection whose answer names none of the subprotocols it offered.
        assert socket.accepted_subprotocol == ("bearer" if via == "subprotocol" else None)
        assert ask(socket, {"subscribe": f"jobs.{job_id}"}) == subscribed(f"jobs.{job_id}")
        on_app_loop(http, reporter.start, UUID(job_id))
        on_app_loop(http, reporter.progress, UUID(job_id), 30, 120)
        started, progressed = receive(socket), receive(socket)

    assert (started["type"], started["state"], started["attempts"]) == ("job", "running", 1)
    assert (progressed["processed"], progressed["total"], progressed["progress"]) == (30, 120, 25)
    # The event is the job as GET /api/jobs/{id} shows it.
    read = await resident.get(f"/api/jobs/{job_id}")
    assert read.status_code == 200, read.text
    assert {"type": "job", **read.json()} == progressed


async def test_topics_are_spelled_one_way(
    http: Client, container: Container, staff: Caller, job_repository: InMemoryJobRepository
) -> None:
    job_id = await a_job(job_repository, None)

    with await open_socket(http, staff.token) as socket:
        answer = ask(socket, {"subscribe": f"jobs.{job_id.upper()}"})
        publish(http, container, f"jobs.{job_id}", {"type": "job", "n": 1})
        event = receive(socket)

    assert answer == subscribed(f"jobs.{job_id}")
    assert event == {"type": "job", "n": 1}


async def test_topics_the_caller_may_not_see_are_refused_and_the_socket_stays_open(
    http: Client,
    container: Container,
    resident: Caller,
    technician: Caller,
    job_repository: InMemoryJobRepository,
) -> None:
    others_job = await a_job(job_repository, technician.user_id)
    system_job = await a_job(job_repository, None)
    refused = [
        f"jobs.{others_job}",
        f"jobs.{system_job}",
        f"jobs.{uuid4()}",  # no such job: refused the same way
        f"residents.{uuid4()}",
        "staff.maintenance",
    ]

    with await open_socket(http, resident.token) as socket:
        answers = [ask(socket, {"subscribe": topic}) for topic in refused]
        # Still open, and still serving what the resident may see.
        still_served = ask(socket, {"subscribe": "staff.maintenance"})

    assert [(a["type"], a["topic"]) for a in answers] == [("error", t) for t in refused]
    assert {a["message"] for a in answers} == {
        f"{t} is not a topic you may follow" for t in refused
    }
    assert still_served["type"] == "error"


async def test_a_resident_follows_their_own_record_and_the_office_follows_staff_topics(
    http: Client,
    container: Container,
    resident: Caller,
    staff: Caller,
    resident_record: Json,
) -> None:
    own = f"residents.{resident_record['id']}"

    with await open_socket(http, resident.token) as socket:
        assert ask(socket, {"subscribe": own}) == subscribed(own)
    with await open_socket(http, staff.token) as socket:
        assert ask(socket, {"subscribe": own}) == subscribed(own)
        assert ask(socket, {"subscribe": "staff.maintenance"}) == subscribed("staff.maintenance")
        publish(http, container, "staff.maintenance", {"type": "request", "id": 7})
        assert receive(socket) == {"type": "request", "id": 7}


async def test_after_unsubscribing_no_more_events_arrive_from_that_topic(
    http: Client, container: Container, staff: Caller
) -> None:
    with await open_socket(http, staff.token) as socket:
        ask(socket, {"subscribe": "staff.a"})
        ask(socket, {"subscribe": "staff.b"})
        answer = ask(socket, {"unsubscribe": "staff.a"})
        publish(http, container, "staff.a", {"type": "dropped"})
        publish(http, container, "staff.b", {"type": "kept"})
        # One in-process queue carries both in order: had the first arrived, it would be first.
        event = receive(socket)

    assert answer == {"type": "unsubscribed", "topic": "staff.a"}
    assert event == {"type": "kept"}


@pytest.mark.parametrize(
    ("message", "complaint"),
    [
        ("not json", "expected"),
        ('{"subscribe": 7}', "expected"),
        ('{"listen": "staff.a"}', "expected"),
        ("{}", "exactly one"),
        ('{"subscribe": "staff.a", "unsubscribe": "staff.b"}', "exactly one"),
        ('{"subscribe": "rooms.12"}', "not a topic"),
        ('{"subscribe": "jobs.12"}', "UUID"),
        ('{"unsubscribe": "staff."}', "lower-case"),
        ('{"subscribe": "' + "staff." + "a" * 2000 + '"}', "at most"),
    ],
)
async def test_malformed_messages_answer_an_error_that_says_why(
    http: Client, staff: Caller, message: str, complaint: str
) -> None:
    with await open_socket(http, staff.token) as socket:
        socket.send_text(message)
        answer = receive(socket)
        assert ask(socket, {"subscribe": "staff.a"}) == subscribed("staff.a")

    assert answer["type"] == "error"
    assert complaint in answer["message"]


async def test_one_connection_follows_a_bounded_number_of_topics(
    http: Client, staff: Caller
) -> None:
    with await open_socket(http, staff.token) as socket:
        for n in range(MAX_TOPICS_PER_CONNECTION):
            assert ask(socket, {"subscribe": f"staff.t{n}"})["type"] == "subscribed"
        one_too_many = ask(socket, {"subscribe": "staff.more"})
        again = ask(socket, {"subscribe": "staff.t0"})  # already followed: no new topic

    assert one_too_many["type"] == "error"
    assert f"at most {MAX_TOPICS_PER_CONNECTION} topics" in one_too_many["message"]
    assert again == subscribed("staff.t0")


async def test_a_subscribe_after_the_session_ended_closes_the_socket_with_1008(
    http: Client, admin: Caller, technician: Caller
) -> None:
    session = await open_socket(http, technician.token)
    with session as socket:
        assert ask(socket, {"subscribe": "staff.a"})["type"] == "error"
        ended = await admin.patch(f"/api/users/{technician.user_id}", json={"active": False})
        assert ended.status_code == 200, ended.text
        socket.send_json({"subscribe": "staff.a"})
        ending = refusal_of_open(socket)

    assert ending == (POLICY_VIOLATION, INVALID_SESSION)


def refusal_of_open(socket: WebSocketTestSession) -> tuple[int, str]:
    with pytest.raises(WebSocketDisconnect) as closed:
        receive(socket)
    return closed.value.code, closed.value.detail


async def test_no_token_closes_the_socket_with_1008(http: Client) -> None:
    ending = refusal(await open_socket(http, None))

    assert (ending.accepted, ending.code, ending.reason) == (
        True,
        POLICY_VIOLATION,
        "a bearer token is required",
    )


@pytest.mark.parametrize(
    ("opt", "reason"),
    [
        (allowed(Role.ADMIN), "the technician role may not do this"),
        ({}, "this operation admits no role"),
    ],
)
async def test_the_role_guard_closes_sockets_it_refuses_with_1008(
    app: Litestar, http: Client, technician: Caller, opt: Json, reason: str
) -> None:
    @websocket("/ws/guarded", opt=opt)
    async def guarded(socket: WebSocket) -> None:  # pragma: no cover - never admitted
        await socket.accept()
        await socket.send_json({"type": "admitted"})

    app.register(guarded)
    ending = refusal(await open_socket(http, technician.token, path="/ws/guarded"))

    assert (ending.accepted, ending.code, ending.reason) == (True, POLICY_VIOLATION, reason)
