"""The task broker, chosen by configuration.

With REDIS_URL the broker is a Redis stream: a message stays pending until a worker acknowledges
it, and one a dead worker left unacknowledged is claimed again after TASK_REDELIVERY_SECONDS, so every
task runs at least once and must be idempotent. Without REDIS_URL tasks run inside the process
that kicks them (the embedded mode of `residence dev`).

Task names are stable strings `"<context>.<verb>"`: they are what travels in messages, so renaming
a Python function never strands queued work."""

from taskiq import AsyncBroker, InMemoryBroker
from taskiq.serializers import JSONSerializer
from taskiq_redis import RedisAsyncResultBackend

from adapters.taskiq.correlation import RequestIdMiddleware
from adapters.taskiq.probe import track_lifecycle
from adapters.taskiq.redis_stream import ReclaimingRedisStreamBroker
from entrypoints.settings import Settings

QUEUE_NAME = "residence:tasks"
CONSUMER_GROUP = "residence-workers"
RESULT_KEY_PREFIX = "residence:task-result"
# Task return values are a convenience for callers that wait on a task; anything a user needs to
# see (job state, progress, outcomes) is written to the database by the task itself.
RESULT_TTL_SECONDS = 24 * 60 * 60
# A worker with nothing to do looks this often for messages a dead worker left behind.
RECLAIM_CHECK_MS = 5_000
# Acknowledged messages stay in the stream; trimming keeps it bounded, far above any backlog.
STREAM_MAX_LENGTH = 100_000


def create_broker(settings: Settings) -> AsyncBroker:
    if settings.redis_url is None:
        return track_lifecycle(InMemoryBroker().with_middlewares(RequestIdMiddleware()))
    # JSON rather than taskiq's default pickle: whoever can write to Redis must not be able to
    # make a worker or API process execute code.
    results: RedisAsyncResultBackend[object] = RedisAsyncResultBackend(
        settings.redis_url,
        result_ex_time=RESULT_TTL_SECONDS,
        serializer=JSONSerializer(),
        prefix_str=RESULT_KEY_PREFIX,
    )
    broker = ReclaimingRedisStreamBroker(
        settings.redis_url,
        queue_name=QUEUE_NAME,
        consumer_group_name=CONSUMER_GROUP,
        # Start the consumer group at the beginning of the stream: tasks kicked before the first
        # worker ever started are not skipped.
        consumer_id="0",
        # A running task's worker renews its claim; only a dead worker's messages go idle.
        idle_timeout=settings.task_redelivery_seconds * 1000,
        maxlen=STREAM_MAX_LENGTH,
        unacknowledged_lock_timeout=30,
        # How long a read waits for new work before the loop looks for abandoned messages.
        xread_block=RECLAIM_CHECK_MS,
    )
    broker = broker.with_result_backend(results).with_middlewares(RequestIdMiddleware())
    return track_lifecycle(broker)
