from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from adapters.redis.probe import CONNECT_TIMEOUT_SECONDS


class RedisStreamQueueGauge:
    """The depth of the task stream as the workers' consumer group sees it: messages not yet
    delivered to any worker (`lag`) plus those delivered and not yet acknowledged (`pending`)."""

    def __init__(self, url: str, stream: str, group: str) -> None:
        self._url = url
        self._stream = stream
        self._group = group

    async def depth(self) -> int | None:
        client = Redis.from_url(
            self._url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
            decode_responses=True,
        )
        try:
            return await self._depth(client)
        except RedisError:
            return None  # down: readiness says so; the metric says "unknown", not zero
        finally:
            await client.aclose()

    async def _depth(self, client: "Redis") -> int:
        try:
            groups = await client.xinfo_groups(self._stream)
        except ResponseError:
            return 0  # no stream yet: nothing was ever queued
        for group in groups:
            if group["name"] == self._group:
                return int(group.get("lag") or 0) + int(group["pending"])
        # No worker has joined yet: everything in the stream waits.
        return int(await client.xlen(self._stream))
