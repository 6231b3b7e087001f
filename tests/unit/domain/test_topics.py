"""Topics of the event stream: one spelling per topic, and who may follow which."""

from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.accounts.model import Principal, Role
from domain.events.topics import (
    MAX_TOPIC_LENGTH,
    Topic,
    TopicFamily,
    job_topic,
    may_subscribe,
    parse_topic,
    resident_topic,
)
from domain.shared.errors import InvalidValue

OFFICE = (Role.ADMIN, Role.STAFF)

principals = st.builds(
    Principal, user_id=st.uuids(), role=st.sampled_from(Role), resident_id=st.none() | st.uuids()
)
staff_names = st.from_regex(
    r"[a-z0-9][a-z0-9_-]{0,8}(\.[a-z0-9][a-z0-9_-]{0,8}){0,2}", fullmatch=True
)
topics = st.one_of(
    st.builds(lambda i: Topic(TopicFamily.JOBS, str(i)), st.uuids()),
    st.builds(lambda i: Topic(TopicFamily.RESIDENTS, str(i)), st.uuids()),
    st.builds(lambda name: Topic(TopicFamily.STAFF, name), staff_names),
)


@given(topics)
def test_a_topic_reads_back_as_itself(topic: Topic) -> None:
    assert parse_topic(str(topic)) == topic


@given(st.uuids())
def test_ids_have_one_spelling(job_id: UUID) -> None:
    for spelling in (str(job_id).upper(), job_id.hex, f"{{{job_id}}}"):
        assert str(parse_topic(f"jobs.{spelling}")) == job_topic(job_id)
    assert str(parse_topic(f"residents.{str(job_id).upper()}")) == resident_topic(job_id)


@given(st.text(max_size=120))
def test_any_text_is_a_topic_or_an_invalid_value_naming_the_topic(text: str) -> None:
    try:
        topic = parse_topic(text)
    except InvalidValue as refused:
        field = refused.field
    else:
        field = "topic"
        assert parse_topic(str(topic)) == topic
        assert len(str(topic)) <= MAX_TOPIC_LENGTH
    assert field == "topic"


@pytest.mark.parametrize(
    "text",
    [
        "jobs",
        "jobs.",
        "jobs.12",
        "residents.me",
        "staff",
        "staff.",
        "staff.Maintenance",
        "staff..a",
        "staff.a b",
        "rooms.1",
        "JOBS.6f1c0e2a-3d2b-4a43-9a3c-2b9f3e0a1c55",
        "staff." + "a" * MAX_TOPIC_LENGTH,
    ],
)
def test_malformed_topics_are_refused(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_topic(text)


@given(principals, staff_names)
def test_staff_topics_are_for_the_office_only(caller: Principal, name: str) -> None:
    topic = parse_topic(f"staff.{name}")

    assert may_subscribe(caller, topic) is (caller.role in OFFICE)


@given(principals, st.uuids(), st.booleans())
def test_a_residents_topic_is_for_that_resident_and_the_office(
    caller: Principal, resident_id: UUID, own: bool
) -> None:
    if own:
        resident_id = caller.resident_id or resident_id
    topic = parse_topic(resident_topic(resident_id))

    expected = caller.role in OFFICE or (
        caller.role is Role.RESIDENT and caller.resident_id == resident_id
    )
    assert may_subscribe(caller, topic) is expected


@given(principals, st.none() | st.uuids(), st.booleans())
def test_a_job_topic_is_for_whoever_may_read_the_job(
    caller: Principal, created_by: UUID | None, own: bool
) -> None:
    if own:
        created_by = caller.user_id
    topic = parse_topic(job_topic(uuid4()))

    expected = caller.role in OFFICE or created_by == caller.user_id
    assert may_subscribe(caller, topic, created_by) is expected


def test_a_technician_with_a_resident_id_does_not_follow_that_resident() -> None:
    resident_id = uuid4()
    technician = Principal(uuid4(), Role.TECHNICIAN, resident_id=resident_id)

    assert not may_subscribe(technician, parse_topic(resident_topic(resident_id)))
