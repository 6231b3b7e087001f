from redis.asyncio import Redis

# Readiness must answer quickly; a Redis that takes longer than this to accept a connection is
# treated as down rather than holding the health check open.
CONNECT_TIMEOUT_SECONDS = 2.0


class RedisBrokerProbe:
    """The task broker is up when its Redis answers PING."""

    name = "broker"

    def __init__(self, url: str) -> None:
        self._url = url

    async def check(self) -> None:
        # A fresh connection per check: a pooled one could report a Redis that has since died.
        client = Redis.from_url(
            self._url,
            socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
            socket_timeout=CONNECT_TIMEOUT_SECONDS,
        )
        try:
            await client.ping()
        finally:
            await client.aclose()
