"""The production task broker: taskiq-redis's stream broker, with two changes to how a worker
takes messages.

- It takes one message per read, and only when it has a free slot (the receiver asks for the
  next message only then). The stock broker reads a batch of 100: messages of that batch wait
  inside one busy worker, delivered to it but not started, and once they have waited longer
  than the idle timeout another worker reclaims and runs them while the first still holds them.
- It reclaims messages a dead worker left unacknowledged on every turn of its loop, also when
  no new message arrived. The stock broker looks for them only after a read returned new work,
  so on a quiet queue a dead worker's task waited for the next unrelated request.
- While a task runs, its worker claims the message again every third of the idle timeout, so a
  task that runs longer than the timeout is not taken for abandoned and run a second time. Only
  a worker that died stops renewing; its messages are reclaimed one idle timeout later.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncGenerator

from redis.asyncio import Redis
from redis.exceptions import RedisError
from taskiq import AckableMessage
from taskiq_redis import RedisStreamBroker

logger = logging.getLogger(__name__)


class ReclaimingRedisStreamBroker(RedisStreamBroker):
    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        async with Redis(connection_pool=self.connection_pool) as connection:
            while True:
                fetched = await connection.xreadgroup(
                    self.consumer_group_name,
                    self.consumer_name,
                    {self.queue_name: ">"},
                    block=self.block,
                    noack=False,
                    count=1,
                )
                for stream, messages in fetched or []:
                    for message_id, fields in messages:
                        yield self._ackable(stream, message_id, fields)
                for message_id, fields in await self._reclaim(connection):
                    yield self._ackable(self.queue_name, message_id, fields)

    async def _reclaim(self, connection: "Redis") -> list[tuple[bytes, dict[bytes, bytes]]]:
        """Messages idle longer than `idle_timeout` in any consumer's hands, taken over by this
        one. The lock keeps two workers from claiming the same batch at the same instant."""
        lock = connection.lock(
            f"autoclaim:{self.consumer_group_name}:{self.queue_name}",
            timeout=self.unacknowledged_lock_timeout,
        )
        async with lock:
            claimed = await connection.xautoclaim(
                name=self.queue_name,
                groupname=self.consumer_group_name,
                consumername=self.consumer_name,
                min_idle_time=self.idle_timeout,
                count=self.unacknowledged_batch_size,
            )
        # XAUTOCLAIM answers [next cursor, claimed messages, deleted ids]; a message deleted
        # from the stream meanwhile comes back as None and has nothing left to run.
        return [(message_id, fields) for message_id, fields in claimed[1] if fields]

    def _ackable(
        self, stream: bytes | str, message_id: bytes, fields: dict[bytes, bytes]
    ) -> AckableMessage:
        queue = stream.decode() if isinstance(stream, bytes) else stream
        renewal = asyncio.create_task(self._keep_claimed(queue, message_id))
        acknowledge = self._ack_generator(id=message_id, queue_name=queue)

        async def ack() -> None:
            renewal.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renewal
            await acknowledge()

        return AckableMessage(data=fields[b"data"], ack=ack)

    async def _keep_claimed(self, queue: str, message_id: bytes) -> None:
        interval_seconds = self.idle_timeout / 3 / 1000
        while True:
            await asyncio.sleep(interval_seconds)
            try:
                async with Redis(connection_pool=self.connection_pool) as connection:
                    # Claiming a message one already holds resets its idle time.
                    await connection.xclaim(
                        queue,
                        self.consumer_group_name,
                        self.consumer_name,
                        min_idle_time=0,
                        message_ids=[message_id],
                        justid=True,
                    )
            except RedisError as error:  # Redis is back before the timeout, or it redelivers
                logger.warning(
                    "could not renew the claim on task message %s: %s", message_id, error
                )
