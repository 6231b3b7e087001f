"""Announcements: one message from the residence office to many residents.

An announcement names its audience and channels; a background fan-out visits the audience in
resident-id order, a batch at a time, and queues one notification per resident and channel the
resident accepts. Each batch moves `cursor` to the last resident it covered, in the same
transaction as its notifications, so a fan-out that stops half-way resumes where it stopped and
never queues a message twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID, uuid4

from domain.notifications.errors import IllegalTransition
from domain.notifications.model import Channel
from domain.shared.errors import InvalidValue

MAX_TITLE_LENGTH = 200
MAX_BODY_LENGTH = 5000
MAX_LISTED_RESIDENTS = 1000


class AudienceKind(StrEnum):
    ALL_RESIDENTS = "all_residents"  # every resident whose status is active
    BUILDING = "building"  # everyone living in one building
    FLOOR = "floor"  # everyone living on one floor of a building
    RESIDENTS = "residents"  # the residents listed, whatever their status


class AnnouncementState(StrEnum):
    FANNING_OUT = "fanning_out"
    FANNED_OUT = "fanned_out"  # every recipient's notifications are queued


@dataclass(frozen=True, slots=True)
class Audience:
    kind: AudienceKind
    building_id: UUID | None = None
    floor: int | None = None
    resident_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True, slots=True)
class ContactDetails:
    """What the fan-out needs to know of one resident."""

    resident_id: UUID
    first_name: str
    last_name: str
    email: str
    phone: str | None
    email_opt_in: bool
    sms_opt_in: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class Announcement:
    title: str
    body: str
    audience: Audience
    channels: frozenset[Channel]
    created_at: datetime
    created_by: UUID | None = None
    job_id: UUID | None = None
    state: AnnouncementState = AnnouncementState.FANNING_OUT
    cursor: UUID | None = None  # the last resident the fan-out covered
    recipients: int = 0  # residents who were sent at least one message
    messages: int = 0  # notifications queued
    skipped: int = 0  # residents reached by none of the channels (opted out, no phone)
    finished_at: datetime | None = None
    id: UUID = field(default_factory=uuid4)

    @property
    def finished(self) -> bool:
        return self.state is AnnouncementState.FANNED_OUT


def check_audience(audience: Audience) -> Audience:
    """Each kind takes exactly the details it needs; a listed audience is de-duplicated."""
    needs_building = audience.kind in (AudienceKind.BUILDING, AudienceKind.FLOOR)
    if needs_building and audience.building_id is None:
        raise InvalidValue("audience.building_id", f"is required for a {audience.kind} audience")
    if not needs_building and audience.building_id is not None:
        raise InvalidValue("audience.building_id", f"does not apply to a {audience.kind} audience")
    if audience.kind is AudienceKind.FLOOR and audience.floor is None:
        raise InvalidValue("audience.floor", "is required for a floor audience")
    if audience.kind is not AudienceKind.FLOOR and audience.floor is not None:
        raise InvalidValue("audience.floor", f"does not apply to a {audience.kind} audience")
    listed = tuple(dict.fromkeys(audience.resident_ids))
    if audience.kind is AudienceKind.RESIDENTS:
        if not listed:
            raise InvalidValue("audience.resident_ids", "must list at least one resident")
        if len(listed) > MAX_LISTED_RESIDENTS:
            raise InvalidValue(
                "audience.resident_ids",
                f"lists {len(listed)} residents; at most {MAX_LISTED_RESIDENTS} may be listed, "
                "announce to a building or to all residents instead",
            )
    elif listed:
        raise InvalidValue("audience.resident_ids", f"does not apply to a {audience.kind} audience")
    return replace(audience, resident_ids=listed)


def check_channels(channels: Iterable[Channel]) -> frozenset[Channel]:
    chosen = frozenset(channels)
    if not chosen:
        raise InvalidValue("channels", "name at least one channel: email, sms")
    return chosen


def _text(value: str, field_name: str, max_length: int) -> str:
    cleaned = value.strip()
    if not cleaned:
        raise InvalidValue(field_name, "must not be blank")
    if len(cleaned) > max_length:
        raise InvalidValue(field_name, f"must be at most {max_length} characters")
    return cleaned


def new_announcement(
    title: str,
    body: str,
    audience: Audience,
    channels: Iterable[Channel],
    now: datetime,
    created_by: UUID | None = None,
    job_id: UUID | None = None,
) -> Announcement:
    # The title is a mail subject: one line. The body keeps its line breaks.
    return Announcement(
        title=" ".join(_text(title, "title", MAX_TITLE_LENGTH).split()),
        body=_text(body, "body", MAX_BODY_LENGTH),
        audience=check_audience(audience),
        channels=check_channels(channels),
        created_at=now,
        created_by=created_by,
        job_id=job_id,
    )


def addresses_for(
    contact: ContactDetails, channels: frozenset[Channel]
) -> list[tuple[Channel, str]]:
    """Where the announcement goes for one resident: each channel announced that the resident
    accepts and has an address for, email first."""
    found: list[tuple[Channel, str]] = []
    if Channel.EMAIL in channels and contact.email_opt_in:
        found.append((Channel.EMAIL, contact.email))
    if Channel.SMS in channels and contact.sms_opt_in and contact.phone:
        found.append((Channel.SMS, contact.phone))
    return found


def advance(announcement: Announcement, covered: list[ContactDetails]) -> Announcement:
    """The announcement after a batch that queued the notifications `addresses_for` gives for
    `covered`, the batch's residents in id order."""
    if announcement.finished:
        raise IllegalTransition("advanced", announcement.state.value)
    if not covered:
        raise ValueError("a batch covers at least one resident")
    counts = [len(addresses_for(contact, announcement.channels)) for contact in covered]
    reached = sum(1 for count in counts if count)
    return replace(
        announcement,
        cursor=covered[-1].resident_id,
        recipients=announcement.recipients + reached,
        messages=announcement.messages + sum(counts),
        skipped=announcement.skipped + len(covered) - reached,
    )


def finish(announcement: Announcement, now: datetime) -> Announcement:
    if announcement.finished:
        raise IllegalTransition("finished", announcement.state.value)
    return replace(announcement, state=AnnouncementState.FANNED_OUT, finished_at=now)
