from redis.asyncio import Redis

from application.accounts.model import LoginLimits
from application.shared.ports import Clock
from domain.shared.errors import RateLimited

TOO_MANY = "too many failed logins; wait before trying again"
KEY_PREFIX = "residence:login-failures:"


class RedisLoginThrottle:
    """Failed-login counters in Redis, shared by every API process: one counter per key and
    fixed window, expiring with its window."""

    def __init__(self, url: str, clock: Clock, limits: LoginLimits) -> None:
        self._redis = Redis.from_url(url, socket_connect_timeout=2.0, socket_timeout=2.0)
        self._clock = clock
        self._limits = limits

    def _counter(self, key: str) -> str:
        window_start = self._limits.window_start(self._clock.now())
        return f"{KEY_PREFIX}{key}:{int(window_start.timestamp())}"

    async def check(self, keys: list[str]) -> None:
        counts = await self._redis.mget([self._counter(key) for key in keys])
        for key, count in zip(keys, counts, strict=True):
            if count is not None and int(count) >= self._limits.limit_for(key):
                raise RateLimited(TOO_MANY, self._limits.retry_after_seconds(self._clock.now()))

    async def record_failure(self, keys: list[str]) -> None:
        ttl = int(self._limits.window.total_seconds())
        async with self._redis.pipeline(transaction=True) as pipeline:
            for key in keys:
                counter = self._counter(key)
                pipeline.incr(counter)
                pipeline.expire(counter, ttl)
            await pipeline.execute()

    async def clear(self, key: str) -> None:
        await self._redis.delete(self._counter(key))

    async def close(self) -> None:
        await self._redis.aclose()
