"""RecordAudit and SearchAudit: who changed what, and when."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

from application.accounts.views import AuditFilter
from application.shared.paging import PageRequest
from tests.unit.accounts.kit import Accounts


async def test_an_entry_keeps_field_names_sorted_once_at_the_clock_time(
    accounts: Accounts,
) -> None:
    actor = uuid4()

    await accounts.record_audit(
        actor, "update", "room", "R-101", ["status", "nightly_rate", "status"]
    )

    [entry] = accounts.audit_log.entries
    assert (entry.actor_id, entry.action, entry.entity, entry.entity_id) == (
        actor,
        "update",
        "room",
        "R-101",
    )
    assert entry.changed_fields == ["nightly_rate", "status"]
    assert entry.at == accounts.clock.now()


async def test_search_lists_newest_first(accounts: Accounts) -> None:
    for entity_id in ("1", "2", "3"):
        await accounts.record_audit(None, "create", "room", entity_id, [])
        accounts.clock.advance(timedelta(minutes=1))

    page = await accounts.search_audit(AuditFilter(), PageRequest())

    assert [item.entity_id for item in page.items] == ["3", "2", "1"]
    assert [item.at for item in page.items] == sorted(
        (item.at for item in page.items), reverse=True
    )
    assert page.total == 3


async def test_entries_at_the_same_instant_list_the_latest_recorded_first(
    accounts: Accounts,
) -> None:
    for entity_id in ("1", "2", "3"):
        await accounts.record_audit(None, "create", "room", entity_id, [])

    page = await accounts.search_audit(AuditFilter(), PageRequest())

    assert [item.entity_id for item in page.items] == ["3", "2", "1"]


async def test_search_filters_by_entity_actor_and_time(accounts: Accounts) -> None:
    warden, technician = uuid4(), uuid4()
    start = accounts.clock.now()
    await accounts.record_audit(warden, "update", "room", "1", ["status"])
    accounts.clock.advance(timedelta(hours=1))
    await accounts.record_audit(technician, "update", "work_order", "2", ["status"])
    accounts.clock.advance(timedelta(hours=1))
    await accounts.record_audit(warden, "delete", "room", "3", [])

    async def ids(**criteria: Any) -> list[str | None]:
        page = await accounts.search_audit(AuditFilter(**criteria), PageRequest())
        return [item.entity_id for item in page.items]

    assert await ids(entity="room") == ["3", "1"]
    assert await ids(actor_id=technician) == ["2"]
    assert await ids(actor_id=warden, entity="work_order") == []
    # `since` is inclusive and `until` exclusive.
    assert await ids(since=start + timedelta(hours=1)) == ["3", "2"]
    assert await ids(until=start + timedelta(hours=1)) == ["1"]


async def test_search_pages_through_the_entries(accounts: Accounts) -> None:
    for number in range(5):
        await accounts.record_audit(None, "create", "room", str(number), [])
        accounts.clock.advance(timedelta(seconds=1))

    page = await accounts.search_audit(AuditFilter(), PageRequest(limit=2, offset=1))

    assert [item.entity_id for item in page.items] == ["3", "2"]
    assert (page.total, page.limit, page.offset) == (5, 2, 1)
