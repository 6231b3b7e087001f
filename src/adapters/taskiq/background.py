import logging

from taskiq import AsyncBroker, InMemoryBroker
from taskiq.kicker import AsyncKicker

from adapters.system.correlation import LABEL, current_request_id
from adapters.taskiq.probe import is_running

logger = logging.getLogger(__name__)


class TaskiqBackgroundTasks:
    """Kicks a task by its stable name, so the kicking process needs no reference to the task's
    function (and no task declared at all, with a Redis broker).

    An in-process broker that was never started belongs to a one-shot command (`residence
    create-admin`): a task kicked there would die with the command, so nothing is kicked and
    the work waits for the scheduler of the serving process."""

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def enqueue(self, task_name: str, **arguments: object) -> None:
        if isinstance(self._broker, InMemoryBroker) and not is_running(self._broker):
            logger.debug("%s not kicked: no in-process broker runs here", task_name)
            return
        request_id = current_request_id()
        # The worker logs the task under the id of the request that started it.
        labels = {} if request_id is None else {LABEL: request_id}
        await AsyncKicker(task_name=task_name, broker=self._broker, labels=labels).kiq(**arguments)
