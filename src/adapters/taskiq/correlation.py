from taskiq import TaskiqMessage, TaskiqMiddleware

from adapters.system.correlation import LABEL, bind_request_id


class RequestIdMiddleware(TaskiqMiddleware):
    """Runs each task under the request id its kicker put in the labels. The receiver handles
    every message in an asyncio task of its own, so the id set here is that task's alone and
    needs no reset."""

    def pre_execute(self, message: TaskiqMessage) -> TaskiqMessage:
        request_id = message.labels.get(LABEL)
        bind_request_id(str(request_id) if request_id is not None else None)
        return message
