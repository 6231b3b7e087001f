"""Topics of the real-time event stream, and who may follow each.

- `jobs.{job id}`: a job's state and progress, for whoever may read the job.
- `residents.{resident id}`: a resident's own bookings and requests, for that resident and the
  residence office.
- `staff.{name}` (`staff.maintenance`, `staff.bookings.waitlist`): the office's work queues,
  for the office only.

A topic is parsed before any rule looks at it, so `jobs.ABC...` and `jobs.abc...` are one topic
and no two spellings reach one channel."""

import re
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

from domain.accounts.model import Principal
from domain.jobs.rules import may_read_job
from domain.shared.errors import InvalidValue

MAX_TOPIC_LENGTH = 100
_STAFF_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*$")


class TopicFamily(StrEnum):
    JOBS = "jobs"
    RESIDENTS = "residents"
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class Topic:
    family: TopicFamily
    key: str

    def __str__(self) -> str:
        return f"{self.family.value}.{self.key}"

    @property
    def entity_id(self) -> UUID | None:
        """The job or resident a topic is about; None for staff topics."""
        return None if self.family is TopicFamily.STAFF else UUID(self.key)


def _uuid_key(family: TopicFamily, key: str) -> str:
    try:
        return str(UUID(key))
    except ValueError:
        raise InvalidValue("topic", f"{family.value}.<id> needs an id like a UUID") from None


def parse_topic(text: str) -> Topic:
    if len(text) > MAX_TOPIC_LENGTH:
        raise InvalidValue("topic", f"must be at most {MAX_TOPIC_LENGTH} characters")
    family_name, _, key = text.partition(".")
    try:
        family = TopicFamily(family_name)
    except ValueError:
        known = ", ".join(f"{f.value}.*" for f in TopicFamily)
        raise InvalidValue("topic", f"{text!r} is not a topic; topics are {known}") from None
    if family is TopicFamily.STAFF:
        if not _STAFF_NAME.match(key):
            raise InvalidValue("topic", "staff topics are staff.<name> in lower-case words")
        return Topic(family, key)
    return Topic(family, _uuid_key(family, key))


def may_subscribe(caller: Principal, topic: Topic, job_created_by: UUID | None = None) -> bool:
    """Whether `caller` may follow `topic`. For a job topic, `job_created_by` is the creator of
    that job, which must exist: the caller of this rule looks it up first."""
    if topic.family is TopicFamily.STAFF:
        return caller.is_office
    if topic.family is TopicFamily.RESIDENTS:
        resident_id = topic.entity_id
        return resident_id is not None and caller.may_see_resident(resident_id)
    return may_read_job(caller, job_created_by)


def job_topic(job_id: UUID) -> str:
    return str(Topic(TopicFamily.JOBS, str(job_id)))


def resident_topic(resident_id: UUID) -> str:
    return str(Topic(TopicFamily.RESIDENTS, str(resident_id)))
