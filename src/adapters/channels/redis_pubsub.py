"""Redis pub/sub for the event stream, as Litestar's channels plugin speaks it."""

import asyncio
import logging
from collections.abc import AsyncGenerator
from typing import Any

from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Between attempts to listen again after Redis went away.
RECONNECT_DELAY_SECONDS = 1.0
# Pings an idle subscription now and then, so a connection that died silently is noticed.
HEALTH_CHECK_SECONDS = 30


class ReconnectingRedisPubSubBackend(RedisChannelsPubSubBackend):
    """Litestar's pub/sub backend, except that losing Redis does not end the stream for good.

    The plugin reads events in one background task; in the stock backend a Redis error ends
    that task and every WebSocket of the process goes quiet until a restart. Here the error is
    logged and listening resumes once Redis answers; redis-py subscribes the connection to its
    channels again when it reconnects. Events published while Redis was away are lost, which
    the event bus allows: clients read the current state over HTTP."""

    def __init__(self, redis: Redis) -> None:
        super().__init__(redis=redis)
        self._client = redis

    async def stream_events(self) -> AsyncGenerator[tuple[str, Any], None]:
        while True:
            try:
                async for event in super().stream_events():
                    yield event
            except (RedisError, OSError) as error:
                logger.error("event stream lost Redis (%s); listening again", error)
                await asyncio.sleep(RECONNECT_DELAY_SECONDS)

    async def on_shutdown(self) -> None:
        await super().on_shutdown()
        await self._client.aclose()


def redis_channels_backend(url: str) -> ReconnectingRedisPubSubBackend:
    redis = Redis.from_url(
        url, socket_connect_timeout=2.0, health_check_interval=HEALTH_CHECK_SECONDS
    )
    return ReconnectingRedisPubSubBackend(redis)
