import logging
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class InProcessChannelsBackend(MemoryChannelsBackend):
    """The embedded mode's backend: events stay in the process, which is enough because there
    the tasks that publish run in the API process whose WebSockets listen.

    Publishing while no app has started the backend (a CLI command, a test without the app) is
    dropped rather than refused: no one can be subscribed then."""

    def __init__(self) -> None:
        super().__init__(history=0)
        self._started = False

    async def on_startup(self) -> None:
        await super().on_startup()
        self._started = True

    async def on_shutdown(self) -> None:
        self._started = False
        await super().on_shutdown()

    async def publish(self, data: bytes, channels: Iterable[str]) -> None:
        if self._started:
            await super().publish(data, channels)


class ChannelsEventBus:
    """The EventBus port over a Litestar channels backend: in-process, or Redis pub/sub where
    every API process's ChannelsPlugin hears what any process publishes. An event is JSON on the
    channel named like its topic, which is what the plugin hands to the WebSocket unchanged."""

    def __init__(self, backend: ChannelsBackend) -> None:
        self._backend = backend

    async def publish(self, topic: str, event: Mapping[str, Any]) -> None:
        data = msgspec.json.encode(event)
        try:
            await self._backend.publish(data, [topic])
        except (RedisError, OSError) as error:
            # Best effort by contract: the change is committed and readable; only the push failed.
            logger.warning("event on %s not published: %s", topic, error)
