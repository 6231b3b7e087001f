"""The housing ports' contract, write side: the same assertions against the in-memory fakes,
SQLite and PostgreSQL (the `backend` fixture), so the fakes the unit tests rely on cannot drift
from the real adapters. The read side is in test_housing_queries_contract.py."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from application.housing.views import BuildingFilter, RoomFilter
from application.shared.paging import PageRequest
from domain.housing.model import (
    Bed,
    EmergencyContact,
    Gender,
    GenderPolicy,
    ResidentStatus,
    RoomStatus,
    RoomType,
)
from domain.shared.dates import DateRange
from domain.shared.money import Money
from tests.integration.housing_backends import (
    Backend,
    a_building,
    a_resident,
    a_room,
    a_term,
    saved,
)

# --- Repositories --------------------------------------------------------------------------------


async def test_building_add_get_update_delete(backend: Backend) -> None:
    building = a_building("NH", gender_policy=GenderPolicy.FEMALE)
    await saved(backend, building)

    async with backend.uow() as uow:
        assert await uow.buildings.get(building.id) == building
        assert await uow.buildings.get_by_code("NH") == building
        assert await uow.buildings.get_by_code("SH") is None
        assert await uow.buildings.get(uuid4()) is None
        changed = replace(building, name="North Hall", amenities=["gym"], active=False, floors=7)
        await uow.buildings.update(changed)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.buildings.get(building.id) == changed
        await uow.buildings.delete(building.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.buildings.get(building.id) is None
        assert await uow.buildings.get_by_code("NH") is None


async def test_room_add_get_update_delete(backend: Backend) -> None:
    north, south = a_building("NH"), a_building("SH")
    room = a_room(north, "101", accessible=True)
    await saved(backend, north, south, room)

    async with backend.uow() as uow:
        assert await uow.rooms.get(room.id) == room
        assert await uow.rooms.get_by_number(north.id, "101") == room
        assert await uow.rooms.get_by_number(south.id, "101") is None
        assert await uow.rooms.get_by_number(north.id, "102") is None
        changed = replace(
            room,
            number="102",
            type=RoomType.SUITE,
            status=RoomStatus.CLOSED,
            accessible=False,
            features=[],
            nightly_rate=Money.of("0.01", "GBP"),
        )
        await uow.rooms.update(changed)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.rooms.get(room.id) == changed
        assert await uow.rooms.get_by_number(north.id, "102") == changed
        await uow.rooms.delete(room.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.rooms.get(room.id) is None


async def test_resident_add_get_update_delete(backend: Backend) -> None:
    resident = a_resident(
        "00412345",
        email="ada.okafor@example.edu",
        gender=Gender.FEMALE,
        phone="+447700900456",
        date_of_birth=date(2004, 2, 29),
        department="Physics",
        year_of_study=2,
        status=ResidentStatus.ACTIVE,
        needs_accessible_room=True,
        accessibility_notes="Step-free access",
        emergency_contact=EmergencyContact("Maria Okafor", "+447700900123", "mother"),
    )
    await saved(backend, resident)

    async with backend.uow() as uow:
        assert await uow.residents.get(resident.id) == resident
        assert await uow.residents.get_by_student_id("00412345") == resident
        assert await uow.residents.get_by_student_id("412345") is None
        assert await uow.residents.get_by_email("ada.okafor@example.edu") == resident
        assert await uow.residents.get_by_email("someone@example.edu") is None
        changed = replace(
            resident,
            email="ada@example.edu",
            phone=None,
            date_of_birth=None,
            department=None,
            emergency_contact=EmergencyContact("Maria Okafor", "+447700900123"),
        )
        await uow.residents.update(changed)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.residents.get(resident.id) == changed
        assert await uow.residents.get_by_email("ada.okafor@example.edu") is None
        await uow.residents.delete(resident.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.residents.get(resident.id) is None


async def test_term_add_get_update_delete(backend: Backend) -> None:
    term = a_term("Autumn", date(2026, 9, 21))
    await saved(backend, term)

    async with backend.uow() as uow:
        assert await uow.terms.get(term.id) == term
        assert await uow.terms.get_by_name("Autumn") == term
        assert await uow.terms.get_by_name("Spring") is None
        changed = replace(term, name="Fall", dates=DateRange(date(2026, 9, 1), date(2027, 1, 1)))
        await uow.terms.update(changed)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.terms.get(term.id) == changed
        await uow.terms.delete(term.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.terms.get(term.id) is None


async def test_beds_are_ordered_by_label_and_can_change(backend: Backend) -> None:
    building = a_building()
    room = a_room(building)
    c, a, b = (Bed(room.id, label) for label in "CAB")
    await saved(backend, building, room, c, a, b)

    async with backend.uow() as uow:
        assert await uow.rooms.beds(room.id) == [a, b, c]
        await uow.rooms.update_bed(replace(b, active=False))
        await uow.rooms.delete_bed(a.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.rooms.beds(room.id) == [replace(b, active=False), c]
    views = await backend.queries.beds(room.id)
    assert [(bed.id, bed.label, bed.active) for bed in views] == [
        (b.id, "B", False),
        (c.id, "C", True),
    ]


async def test_count_rooms_and_highest_room_floor(backend: Backend) -> None:
    north, south, empty = a_building("NH"), a_building("SH"), a_building("EH")
    rooms = [a_room(north, "101"), a_room(north, "305"), a_room(south, "401")]
    await saved(backend, north, south, empty, *rooms)

    async with backend.uow() as uow:
        assert await uow.buildings.count_rooms(north.id) == 2
        assert await uow.buildings.highest_room_floor(north.id) == 3
        assert await uow.buildings.count_rooms(empty.id) == 0
        assert await uow.buildings.highest_room_floor(empty.id) is None


async def test_deleting_a_room_deletes_its_beds(backend: Backend) -> None:
    building = a_building()
    doomed, kept = a_room(building, "101"), a_room(building, "102")
    doomed_beds = [Bed(doomed.id, "A"), Bed(doomed.id, "B")]
    kept_bed = Bed(kept.id, "A")
    await saved(backend, building, doomed, kept, *doomed_beds, kept_bed)

    async with backend.uow() as uow:
        await uow.rooms.delete(doomed.id)
        await uow.commit()

    async with backend.uow() as uow:
        assert await uow.rooms.beds(doomed.id) == []
        assert await uow.rooms.beds(kept.id) == [kept_bed]
    assert await backend.queries.beds(doomed.id) == []
    # The bed ids are free again: nothing of the old beds is left behind.
    await saved(backend, replace(kept, id=doomed.id, number="103"), *doomed_beds)


async def test_leaving_without_commit_writes_nothing(backend: Backend) -> None:
    building = a_building("NH")
    await saved(backend, building)

    async with backend.uow() as uow:
        await uow.buildings.add(a_building("SH"))
        await uow.buildings.update(replace(building, name="Renamed"))
        await uow.terms.add(a_term())

    async def delete_then_fail() -> None:
        async with backend.uow() as uow:
            await uow.buildings.delete(building.id)
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError, match="refused"):
        await delete_then_fail()

    page = await backend.queries.buildings(BuildingFilter(), PageRequest())
    assert [(view.id, view.name) for view in page.items] == [(building.id, "Hall NH")]
    assert (await backend.queries.terms(PageRequest())).total == 0


# --- Values that must survive storage exactly ----------------------------------------------------


async def test_money_round_trips_exactly(backend: Backend) -> None:
    building = a_building()
    euros = a_room(building, "101", nightly_rate=Money.of("42.50", "EUR"))
    cent = a_room(building, "102", nightly_rate=Money.of("0.01", "GBP"))
    await saved(backend, building, euros, cent)

    async with backend.uow() as uow:
        stored = [await uow.rooms.get(euros.id), await uow.rooms.get(cent.id)]
    assert [(str(r.nightly_rate.amount), r.nightly_rate.currency) for r in stored if r] == [
        ("42.50", "EUR"),
        ("0.01", "GBP"),
    ]
    views = (await backend.queries.rooms(RoomFilter(), PageRequest())).items
    rates = [(view.nightly_rate.amount, view.nightly_rate.currency) for view in views]
    assert rates == [(Decimal("42.50"), "EUR"), (Decimal("0.01"), "GBP")]
    assert [str(amount) for amount, _ in rates] == ["42.50", "0.01"]


async def test_student_id_keeps_its_leading_zeros(backend: Backend) -> None:
    resident = a_resident("000123")
    await saved(backend, resident)

    view = await backend.queries.resident(resident.id)
    assert view is not None
    assert view.student_id == "000123"
    async with backend.uow() as uow:
        found = await uow.residents.get_by_student_id("000123")
        assert found is not None
        assert found.student_id == "000123"
        assert await uow.residents.get_by_student_id("123") is None


async def test_timestamps_are_utc_and_updated_at_moves(backend: Backend) -> None:
    building = a_building()
    room, resident, term = a_room(building), a_resident(), a_term()
    await saved(backend, building, room, resident, term)
    queries = backend.queries

    async def stamps() -> list[tuple[datetime, datetime]]:
        views = [
            await queries.building(building.id),
            await queries.room(room.id),
            await queries.resident(resident.id),
            await queries.term(term.id),
        ]
        return [(view.created_at, view.updated_at) for view in views if view is not None]

    before = await stamps()
    assert len(before) == 4
    for created_at, updated_at in before:
        assert created_at.utcoffset() == timedelta(0)
        assert updated_at.utcoffset() == timedelta(0)
        assert updated_at >= created_at

    backend.let_time_pass()
    async with backend.uow() as uow:
        await uow.buildings.update(replace(building, name="Renamed"))
        await uow.rooms.update(replace(room, floor=2))
        await uow.residents.update(replace(resident, first_name="Adaeze"))
        await uow.terms.update(replace(term, name="Renamed"))
        await uow.commit()

    after = await stamps()
    for (created_before, updated_before), (created_after, updated_after) in zip(
        before, after, strict=True
    ):
        assert created_after == created_before
        assert updated_after > updated_before
