"""The request id: one value that ties together the log lines of an HTTP request and of every
task it started, across processes. It lives in a context variable, so each request and each
task sees its own; the HTTP middleware sets it from `X-Request-ID` (or a new one), task kicks
carry it in the message's labels and the worker sets it again before running the task."""

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "x-request-id"
LABEL = "request_id"
# What a proxy or client may hand us: it ends up in every log line, so nothing that could
# forge a log line or carry an unbounded payload.
_ACCEPTABLE = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return _current.get()


def accept_request_id(offered: str | None) -> str:
    """The caller's id when it is a plain token, otherwise a new one."""
    if offered is not None and _ACCEPTABLE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def bind_request_id(request_id: str | None) -> Token[str | None]:
    return _current.set(request_id)


def unbind_request_id(token: Token[str | None]) -> None:
    _current.reset(token)
