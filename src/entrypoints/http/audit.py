"""The audit trail of every write made through the API, recorded in one place.

A middleware rather than a line in each handler, so that a new endpoint is audited without
anyone remembering to: it reads what it needs from the route (entity and id), the request
(the names of the fields sent) and the response (its status, and the id of what was created)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Request
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from application.accounts.audit import RecordAudit
from domain.accounts.model import Principal
from entrypoints.http.problems import problem

logger = logging.getLogger(__name__)

# Routes whose writes are not changes to an entity (logging in and out) opt out with this key.
SKIP_AUDIT_KEY = "skip_audit"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class AuditedWrite:
    action: str
    entity: str
    entity_id: str | None


def singular(collection: str) -> str:
    if collection.endswith("ies"):
        return collection[:-3] + "y"
    return collection.removesuffix("s")


def _is_parameter(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def _parameter_value(segment: str, path_params: dict[str, Any]) -> str:
    name = segment.strip("{}").partition(":")[0]
    return str(path_params[name])


def describe_write(
    method: str, path_template: str, path_params: dict[str, Any], status: int, created: Any
) -> AuditedWrite:
    """What a successful write did, from its route:

    - `/rooms/{room_id}`: update (PUT, PATCH) or delete of that room.
    - `/users/{user_id}/password`: the action `password` on that user, unless it answered
      201 Created, which makes it a new `password` entity like any collection.
    - `/rooms`, `/rooms/{room_id}/beds`: create of a room or a bed; the id is the `id` of the
      response body.
    """
    segments = [segment for segment in path_template.split("/") if segment]
    last = segments[-1]
    by_method = {"DELETE": "delete", "POST": "create"}.get(method, "update")
    if _is_parameter(last):
        return AuditedWrite(by_method, singular(segments[-2]), _parameter_value(last, path_params))
    if len(segments) >= 3 and _is_parameter(segments[-2]) and status != 201:
        entity_id = _parameter_value(segments[-2], path_params)
        return AuditedWrite(last, singular(segments[-3]), entity_id)
    created_id = created.get("id") if isinstance(created, dict) else None
    return AuditedWrite(by_method, singular(last), None if created_id is None else str(created_id))


def _json(body: bytes) -> Any:
    try:
        return msgspec.json.decode(body) if body else None
    except msgspec.DecodeError:
        return None


def changed_fields(request_body: bytes) -> list[str]:
    """Top-level names of the JSON body. Only names: values (personal data, passwords) never
    reach the audit trail."""
    body = _json(request_body)
    return sorted(str(name) for name in body) if isinstance(body, dict) else []


class AuditMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    exclude_opt_key = SKIP_AUDIT_KEY

    def __init__(self, record_audit: Callable[[], RecordAudit]) -> None:
        self._record_audit = record_audit

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        if scope.get("method") not in WRITE_METHODS:
            await next_app(scope, receive, send)
            return
        request_body = bytearray()
        held: list[Message] = []
        # Only JSON bodies have field names to record; an upload is never copied into memory.
        keep_body = b"json" in dict(scope.get("headers", [])).get(b"content-type", b"json")

        async def tee_receive() -> Message:
            message = await receive()
            if keep_body and message["type"] == "http.request":
                request_body.extend(message.get("body", b""))
            return message

        async def hold(message: Message) -> None:
            held.append(message)

        # The response is held back until the entry is recorded: a client never sees a
        # write succeed whose audit entry failed. Write responses are small JSON documents,
        # so holding them costs little.
        await next_app(scope, tee_receive, hold)
        try:
            await self._record(scope, bytes(request_body), held)
        except Exception:
            logger.exception("no audit entry for %s %s", scope["method"], scope["path"])
            await self._unrecorded(scope, receive, send)
            return
        for message in held:
            await send(message)

    @staticmethod
    async def _unrecorded(scope: Scope, receive: Receive, send: Send) -> None:
        # Answered here: Litestar's exception handling believes the held response was sent.
        request: Request[Any, Any, Any] = Request(scope, receive)
        detail = (
            "The change was saved but could not be written to the audit trail; it has been logged."
        )
        response = problem(request, 500, detail)
        await response.to_asgi_response(app=None, request=request)(scope, receive, send)

    async def _record(self, scope: Scope, request_body: bytes, held: list[Message]) -> None:
        caller = scope.get("user")
        start = next((m for m in held if m["type"] == "http.response.start"), None)
        if not isinstance(caller, Principal) or start is None or not 200 <= start["status"] < 300:
            return
        response_body = b"".join(
            m.get("body", b"") for m in held if m["type"] == "http.response.body"
        )
        write = describe_write(
            scope["method"],
            scope["path_template"],
            scope["path_params"],
            start["status"],
            _json(response_body),
        )
        await self._record_audit()(
            actor_id=caller.user_id,
            action=write.action,
            entity=write.entity,
            entity_id=write.entity_id,
            fields=changed_fields(request_body),
        )
