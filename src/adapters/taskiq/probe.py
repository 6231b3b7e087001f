from typing import TypeVar

from taskiq import AsyncBroker, TaskiqEvents, TaskiqState

_RUNNING = "residence.broker_running"

BrokerT = TypeVar("BrokerT", bound=AsyncBroker)


def track_lifecycle(broker: BrokerT) -> BrokerT:
    """Records in the broker's state whether it is between startup and shutdown, which is the
    only sense in which an in-process broker can be up or down."""

    def started(state: TaskiqState) -> None:
        state[_RUNNING] = True

    def stopped(state: TaskiqState) -> None:
        state[_RUNNING] = False

    for event in (TaskiqEvents.CLIENT_STARTUP, TaskiqEvents.WORKER_STARTUP):
        broker.add_event_handler(event, started)
    for event in (TaskiqEvents.CLIENT_SHUTDOWN, TaskiqEvents.WORKER_SHUTDOWN):
        broker.add_event_handler(event, stopped)
    return broker


def is_running(broker: AsyncBroker) -> bool:
    return bool(broker.state.get(_RUNNING, False))


class TaskiqInProcessBrokerProbe:
    """The in-process broker is up once started (it has nothing to connect to)."""

    name = "broker"

    def __init__(self, broker: AsyncBroker) -> None:
        self._broker = broker

    async def check(self) -> None:
        if not is_running(self._broker):
            raise ConnectionError("the in-process task broker is not started")


class InProcessQueueGauge:
    """The in-process broker runs each task as soon as it is kicked: it keeps no queue whose
    depth could be read, so the figure is reported as unknown."""

    async def depth(self) -> int | None:
        return None
