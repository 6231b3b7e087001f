"""Pure rules of announcements: audience shapes, who gets which channel, and the counts a
fan-out keeps, under any split of the audience into batches."""

from datetime import UTC, datetime
from itertools import pairwise
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.notifications.announcements import (
    MAX_LISTED_RESIDENTS,
    Announcement,
    AnnouncementState,
    Audience,
    AudienceKind,
    ContactDetails,
    addresses_for,
    advance,
    check_audience,
    finish,
    new_announcement,
)
from domain.notifications.errors import IllegalTransition
from domain.notifications.model import Channel
from domain.shared.errors import InvalidValue

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
BUILDING = uuid4()

channel_sets = st.sets(st.sampled_from(list(Channel)), min_size=1).map(frozenset)
contacts = st.builds(
    ContactDetails,
    resident_id=st.uuids(),
    first_name=st.just("Ada"),
    last_name=st.just("Okafor"),
    email=st.just("ada@example.edu"),
    phone=st.one_of(st.none(), st.just("+447700900123")),
    email_opt_in=st.booleans(),
    sms_opt_in=st.booleans(),
)


def an_announcement(channels: frozenset[Channel] = frozenset({Channel.EMAIL})) -> Announcement:
    return new_announcement(
        "Water off", "On Thursday.", Audience(AudienceKind.ALL_RESIDENTS), channels, NOW
    )


@given(
    kind=st.sampled_from(list(AudienceKind)),
    building=st.one_of(st.none(), st.just(BUILDING)),
    floor=st.one_of(st.none(), st.integers(1, 20)),
    listed=st.lists(st.uuids(), max_size=3),
)
def test_an_audience_is_accepted_exactly_when_it_has_the_details_its_kind_needs(
    kind: AudienceKind, building: UUID | None, floor: int | None, listed: list[UUID]
) -> None:
    audience = Audience(kind, building, floor, tuple(listed))
    wants_building = kind in (AudienceKind.BUILDING, AudienceKind.FLOOR)
    valid = (
        (building is not None) == wants_building
        and (floor is not None) == (kind is AudienceKind.FLOOR)
        and bool(listed) == (kind is AudienceKind.RESIDENTS)
    )
    if valid:
        assert check_audience(audience).kind is kind
    else:
        with pytest.raises(InvalidValue) as refused:
            check_audience(audience)
        assert refused.value.field.startswith("audience.")


@given(st.lists(st.sampled_from([uuid4() for _ in range(4)]), min_size=1, max_size=12))
def test_a_listed_audience_names_each_resident_once_in_first_seen_order(ids: list[UUID]) -> None:
    checked = check_audience(Audience(AudienceKind.RESIDENTS, resident_ids=tuple(ids)))

    assert checked.resident_ids == tuple(dict.fromkeys(ids))


def test_a_listed_audience_is_capped() -> None:
    too_many = tuple(uuid4() for _ in range(MAX_LISTED_RESIDENTS + 1))
    with pytest.raises(InvalidValue, match="at most"):
        check_audience(Audience(AudienceKind.RESIDENTS, resident_ids=too_many))


@pytest.mark.parametrize(
    ("title", "body", "channels", "field"),
    [
        ("  ", "Body", {Channel.EMAIL}, "title"),
        ("x" * 201, "Body", {Channel.EMAIL}, "title"),
        ("Title", "\n \t", {Channel.EMAIL}, "body"),
        ("Title", "Body", set(), "channels"),
    ],
)
def test_a_blank_or_long_text_or_no_channel_is_refused_naming_the_field(
    title: str, body: str, channels: set[Channel], field: str
) -> None:
    with pytest.raises(InvalidValue) as refused:
        new_announcement(title, body, Audience(AudienceKind.ALL_RESIDENTS), channels, NOW)
    assert refused.value.field == field


def test_the_title_becomes_one_line_and_the_body_keeps_its_lines() -> None:
    announcement = new_announcement(
        " Water\n off ",
        "Line one.\nLine two.",
        Audience(AudienceKind.ALL_RESIDENTS),
        [Channel.SMS],
        NOW,
    )
    assert announcement.title == "Water off"
    assert announcement.body == "Line one.\nLine two."


@given(contact=contacts, channels=channel_sets)
def test_a_resident_gets_each_chosen_channel_they_accept_and_can_be_reached_on(
    contact: ContactDetails, channels: frozenset[Channel]
) -> None:
    found = dict(addresses_for(contact, channels))

    assert (Channel.EMAIL in found) == (Channel.EMAIL in channels and contact.email_opt_in)
    assert (Channel.SMS in found) == (
        Channel.SMS in channels and contact.sms_opt_in and contact.phone is not None
    )
    assert found.get(Channel.EMAIL, contact.email) == contact.email
    assert found.get(Channel.SMS, contact.phone) == contact.phone


@given(
    channels=channel_sets,
    people=st.lists(contacts, min_size=1, max_size=30, unique_by=lambda c: c.resident_id),
    cuts=st.lists(st.integers(1, 29), max_size=5),
)
def test_the_counts_add_up_however_the_audience_is_split_into_batches(
    channels: frozenset[Channel], people: list[ContactDetails], cuts: list[int]
) -> None:
    people.sort(key=lambda c: c.resident_id)
    bounds = sorted({0, len(people), *(cut for cut in cuts if cut < len(people))})
    announcement = an_announcement(channels)
    for start, end in pairwise(bounds):
        announcement = advance(announcement, people[start:end])

    expected_messages = sum(len(addresses_for(c, channels)) for c in people)
    assert announcement.messages == expected_messages
    assert announcement.recipients + announcement.skipped == len(people)
    assert announcement.recipients == sum(1 for c in people if addresses_for(c, channels))
    assert announcement.cursor == people[-1].resident_id


def test_a_finished_announcement_takes_no_more_batches_and_cannot_finish_twice() -> None:
    done = finish(an_announcement(), NOW)

    assert done.state is AnnouncementState.FANNED_OUT
    assert done.finished_at == NOW
    with pytest.raises(IllegalTransition):
        finish(done, NOW)
    with pytest.raises(IllegalTransition):
        advance(done, [ContactDetails(uuid4(), "A", "B", "a@example.edu", None, True, False)])
