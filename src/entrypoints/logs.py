import json
import logging
import re
from datetime import UTC, datetime

from adapters.system.correlation import current_request_id

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s]: %(message)s"
# uvicorn logs each request and WebSocket with its query string, where a browser's WebSocket may
# carry its access token (`/ws?token=...`).
_TOKEN_IN_QUERY = re.compile(r"([?&](?:access_)?token=)[^&\s\"']*")
SERVER_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact_tokens(text: str) -> str:
    return _TOKEN_IN_QUERY.sub(r"\1[redacted]", text)


class RedactQueryTokens(logging.Filter):
    """Replaces tokens in query strings before a record reaches any handler. The arguments are
    redacted one by one, not the formatted message, because uvicorn's own access formatter
    reads them by position."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_tokens(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        return True


def redact_server_logs() -> None:
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactQueryTokens) for f in logger.filters):
            logger.addFilter(RedactQueryTokens())


class AddRequestId(logging.Filter):
    """Stamps each record with the request id of the request or task that logged it ("-" for
    none), so that one grep follows a request into the workers."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers: no multi-line tracebacks to reassemble."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(level: str, log_format: str = "text") -> None:
    """One format for every process (API, worker, scheduler, CLI), on stderr so a command's own
    output on stdout stays clean to pipe. A host that already set up logging (a test runner, a
    process calling `main()`) keeps its handlers; only the level is applied."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.addFilter(AddRequestId())
        handler.setFormatter(
            JsonFormatter() if log_format == "json" else logging.Formatter(_FORMAT)
        )
        root.addHandler(handler)
    root.setLevel(level)
    redact_server_logs()
    # SQLAlchemy logs every statement once its logger is enabled for INFO, and aiosqlite every
    # call at DEBUG; either would drown what the application itself says.
    for noisy in ("sqlalchemy.engine", "aiosqlite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
