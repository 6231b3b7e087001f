"""Tokens in query strings never reach the server's logs, whatever formatter prints them."""

import logging

import pytest

from entrypoints.logs import RedactQueryTokens, redact_server_logs, redact_tokens


@pytest.mark.parametrize(
    ("logged", "kept"),
    [
        ("/ws?token=eyJ.a-b_c.d", "/ws?token=[redacted]"),
        ("/ws?x=1&token=eyJ.abc&y=2", "/ws?x=1&token=[redacted]&y=2"),
        ("/ws?access_token=eyJ.abc", "/ws?access_token=[redacted]"),
        ('"WebSocket /ws?token=abc" [accepted]', '"WebSocket /ws?token=[redacted]" [accepted]'),
        ("/api/rooms?mytoken=kept&q=token=kept", "/api/rooms?mytoken=kept&q=token=kept"),
        ("/ws", "/ws"),
    ],
)
def test_redaction_replaces_the_value_of_token_parameters_only(logged: str, kept: str) -> None:
    assert redact_tokens(logged) == kept


def test_uvicorn_records_are_redacted_argument_by_argument(
    caplog: pytest.LogCaptureFixture,
) -> None:
    redact_server_logs()
    redact_server_logs()  # once is enough; twice adds nothing

    with caplog.at_level(logging.INFO):
        logging.getLogger("uvicorn.error").info(
            '%s - "WebSocket %s" [accepted]', "127.0.0.1:5000", "/ws?token=secret.jwt.value"
        )
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/ws?token=secret", "1.1", 101
        )

    assert "secret" not in caplog.text
    assert caplog.records[0].args == ("127.0.0.1:5000", "/ws?token=[redacted]")
    # uvicorn's access formatter reads its five arguments by position.
    assert caplog.records[1].args == ("127.0.0.1:5000", "GET", "/ws?token=[redacted]", "1.1", 101)
    for name in ("uvicorn.error", "uvicorn.access"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactQueryTokens) for f in filters) == 1
