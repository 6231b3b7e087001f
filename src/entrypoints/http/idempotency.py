"""The `Idempotency-Key` header on a POST that creates something: the rules are in
application.shared.idempotency; this runs a handler's work under them."""

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import msgspec
from litestar import Response
from litestar.params import HeaderParameter

from application.shared.idempotency import HEADER, IdempotentRequests, StoredResponse

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name=HEADER,
        description="Makes retries safe: the same key with the same body answers the first "
        "response again and changes nothing; with another body 422; while the first request "
        "still runs 409. Keys are per caller; use a fresh random one (a UUID) per request.",
    ),
]
REPLAYED_HEADER = "Idempotent-Replayed"


def _json(body: bytes, status: int, replayed: bool = False) -> Response[Any]:
    headers = {REPLAYED_HEADER: "true"} if replayed else None
    return Response(body, status_code=status, media_type="application/json", headers=headers)


async def run_once(
    requests: IdempotentRequests,
    scope: str,
    key: str | None,
    request: msgspec.Struct,
    work: Callable[[], Awaitable[msgspec.Struct]],
    status: int,
) -> Response[Any]:
    """Runs `work` unless `key` already produced a response for this `scope`, which is then
    sent again. Without a key every request runs."""
    if key is None:
        return _json(msgspec.json.encode(await work()), status)
    replay = await requests.begin(scope, key, request)
    if replay is not None:
        return _json(replay.body, replay.status, replayed=True)
    try:
        body = msgspec.json.encode(await work())
    except BaseException:
        await requests.release(scope, key)
        raise
    await requests.complete(scope, key, StoredResponse(status=status, body=body))
    return _json(body, status)
