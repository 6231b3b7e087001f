"""The audit log's contract: the same assertions against the in-memory fake, SQLite and
PostgreSQL."""

from datetime import timedelta, timezone
from typing import Any
from uuid import UUID, uuid4

import pytest

from application.accounts.model import AuditEntry
from application.accounts.views import AuditEntryView, AuditFilter
from application.shared.paging import PageRequest
from tests.integration.accounts_backends import NOW, AccountsBackend, accounts_backend
from tests.integration.housing_backends import ALL_BACKENDS

WARDEN, CLERK = uuid4(), uuid4()


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> AccountsBackend:
    return accounts_backend(request)


def an_entry(minutes: int, entity: str = "room", **changes: Any) -> AuditEntry:
    values: dict[str, Any] = {
        "actor_id": WARDEN,
        "action": "update",
        "entity": entity,
        "entity_id": f"{entity}-{minutes}",
        "changed_fields": ["status"],
        "at": NOW + timedelta(minutes=minutes),
    }
    return AuditEntry(**(values | changes))


async def recorded(backend: AccountsBackend, *entries: AuditEntry) -> None:
    for entry in entries:
        await backend.audit.record(entry)


def entity_ids(items: list[AuditEntryView]) -> list[str | None]:
    return [item.entity_id for item in items]


async def test_search_lists_newest_first_and_ties_in_recording_order_reversed(
    backend: AccountsBackend,
) -> None:
    # Recorded out of time order, as concurrent requests may; two share one instant.
    await recorded(
        backend,
        an_entry(2),
        an_entry(0),
        an_entry(1, entity_id="first at 1"),
        an_entry(3),
        an_entry(1, entity_id="second at 1"),
    )

    page = await backend.audit.search(AuditFilter(), PageRequest())

    assert entity_ids(page.items) == ["room-3", "room-2", "second at 1", "first at 1", "room-0"]
    assert [item.at for item in page.items] == [NOW + timedelta(minutes=m) for m in (3, 2, 1, 1, 0)]
    assert len({item.id for item in page.items}) == 5
    assert page.items[2].id > page.items[3].id  # ids grow in recording order
    assert page.total == 5


async def test_an_entry_round_trips_every_field(backend: AccountsBackend) -> None:
    entry = an_entry(
        0,
        actor_id=CLERK,
        action="create",
        entity="building",
        entity_id="5f0c6a0e-2b1e-4c55-9d1c-0a4b7f1e9a11",
        changed_fields=["nightly_rate", "status", "amenities"],
    )
    anonymous = an_entry(1, actor_id=None, entity_id=None, action="login", changed_fields=[])
    await recorded(backend, entry, anonymous)

    system, building = (await backend.audit.search(AuditFilter(), PageRequest())).items

    assert building.at == entry.at
    assert building.at.utcoffset() == timedelta(0)
    assert (building.actor_id, building.action, building.entity, building.entity_id) == (
        CLERK,
        "create",
        "building",
        "5f0c6a0e-2b1e-4c55-9d1c-0a4b7f1e9a11",
    )
    # A list, in the order given, not a set or a string.
    assert building.changed_fields == ["nightly_rate", "status", "amenities"]
    assert (system.actor_id, system.entity_id, system.changed_fields) == (None, None, [])


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"entity": "room"}, ["room-4", "room-2", "room-0"]),
        ({"entity": "user"}, ["user-3", "user-1"]),
        ({"entity": "term"}, []),
        ({"actor_id": CLERK}, ["user-3", "room-2"]),
        ({"actor_id": UUID(int=0)}, []),
        # since is inclusive, until exclusive: the half-open range [since, until).
        ({"since": NOW + timedelta(minutes=2)}, ["room-4", "user-3", "room-2"]),
        ({"until": NOW + timedelta(minutes=2)}, ["user-1", "room-0"]),
        (
            {"since": NOW + timedelta(minutes=1), "until": NOW + timedelta(minutes=3)},
            ["room-2", "user-1"],
        ),
        ({"since": NOW + timedelta(minutes=2), "until": NOW + timedelta(minutes=2)}, []),
        ({"entity": "room", "actor_id": WARDEN, "since": NOW}, ["room-4", "room-0"]),
    ],
)
async def test_search_filters(
    backend: AccountsBackend, criteria: dict[str, Any], expected: list[str]
) -> None:
    await recorded(
        backend,
        an_entry(0),
        an_entry(1, entity="user"),
        an_entry(2, actor_id=CLERK),
        an_entry(3, entity="user", actor_id=CLERK),
        an_entry(4),
    )

    page = await backend.audit.search(AuditFilter(**criteria), PageRequest())

    assert entity_ids(page.items) == expected
    assert page.total == len(expected)


async def test_since_and_until_compare_instants_whatever_the_offset(
    backend: AccountsBackend,
) -> None:
    await recorded(backend, an_entry(0), an_entry(60))
    # NOW + 60 minutes, written in a zone two hours ahead of UTC.
    same_instant = (NOW + timedelta(minutes=60)).astimezone(timezone(timedelta(hours=2)))

    since = await backend.audit.search(AuditFilter(since=same_instant), PageRequest())
    until = await backend.audit.search(AuditFilter(until=same_instant), PageRequest())

    assert entity_ids(since.items) == ["room-60"]
    assert entity_ids(until.items) == ["room-0"]


async def test_search_pages_newest_first_and_total_counts_every_match(
    backend: AccountsBackend,
) -> None:
    await recorded(backend, *(an_entry(minutes) for minutes in range(7)), an_entry(9, "user"))

    page = await backend.audit.search(AuditFilter(entity="room"), PageRequest(limit=3, offset=3))
    past_the_end = await backend.audit.search(
        AuditFilter(entity="room"), PageRequest(limit=3, offset=7)
    )

    assert entity_ids(page.items) == ["room-3", "room-2", "room-1"]
    assert (page.total, page.limit, page.offset) == (7, 3, 3)
    assert past_the_end.items == []
    assert past_the_end.total == 7
