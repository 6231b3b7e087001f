from application.jobs.ports import JobRepository
from domain.accounts.model import Principal
from domain.events.topics import TopicFamily, may_subscribe, parse_topic
from domain.shared.errors import Forbidden


class TopicRefused(Forbidden):
    """The caller may not follow this topic, or it names nothing that exists."""

    def __init__(self, topic: str) -> None:
        super().__init__(f"{topic} is not a topic you may follow")
        self.topic = topic


class AuthorizeSubscription:
    """Whether a caller may follow a topic of the real-time stream; returns the topic as the
    stream spells it (ids in lower case).

    - `jobs.{id}`: whoever may read the job (the office, or the job's creator);
    - `residents.{id}`: that resident, and the office;
    - `staff.{name}`: the office only.

    A job that does not exist is refused like one the caller may not see. A malformed topic
    raises InvalidValue naming what a topic looks like."""

    def __init__(self, jobs: JobRepository) -> None:
        self._jobs = jobs

    async def __call__(self, caller: Principal, topic_text: str) -> str:
        topic = parse_topic(topic_text)
        job_created_by = None
        if topic.family is TopicFamily.JOBS:
            assert topic.entity_id is not None
            job = await self._jobs.get(topic.entity_id)
            if job is None:
                raise TopicRefused(str(topic))
            job_created_by = job.created_by
        if not may_subscribe(caller, topic, job_created_by):
            raise TopicRefused(str(topic))
        return str(topic)
