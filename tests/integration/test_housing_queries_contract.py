"""The housing read side's contract: filters, paging and computed fields, asserted identically
against the in-memory fakes, SQLite and PostgreSQL (the `backend` fixture)."""

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from application.housing.views import BuildingFilter, ResidentFilter, RoomFilter
from application.shared.paging import PageRequest
from domain.housing.model import Bed, ResidentStatus, RoomStatus, RoomType
from tests.integration.housing_backends import (
    Backend,
    a_building,
    a_resident,
    a_room,
    a_term,
    saved,
)


async def page_through(fetch: Callable[[PageRequest], Awaitable[Any]], limit: int) -> list[Any]:
    """Every item, one page at a time; each page must report the same total."""
    items: list[Any] = []
    totals: set[int] = set()
    offset = 0
    while True:
        page = await fetch(PageRequest(limit=limit, offset=offset))
        totals.add(page.total)
        items.extend(page.items)
        if not page.items:
            break
        assert len(page.items) <= limit
        offset += limit
    assert totals == {len(items)}
    return items


async def test_rooms_filter_by_each_criterion(backend: Backend) -> None:
    north, south = a_building("NH"), a_building("SH")
    await saved(
        backend,
        north,
        south,
        a_room(north, "101", type=RoomType.SINGLE, accessible=True),
        a_room(north, "102", status=RoomStatus.CLOSED),
        a_room(north, "201", accessible=True),
        a_room(south, "101", type=RoomType.STUDIO),
    )

    async def rooms(**criteria: Any) -> list[str]:
        page = await backend.queries.rooms(RoomFilter(**criteria), PageRequest())
        assert page.total == len(page.items)
        return [f"{room.building_code}-{room.number}" for room in page.items]

    assert await rooms() == ["NH-101", "NH-102", "NH-201", "SH-101"]
    assert await rooms(building_id=south.id) == ["SH-101"]
    assert await rooms(floor=1) == ["NH-101", "NH-102", "SH-101"]
    assert await rooms(type=RoomType.DOUBLE) == ["NH-102", "NH-201"]
    assert await rooms(accessible=True) == ["NH-101", "NH-201"]
    assert await rooms(accessible=False) == ["NH-102", "SH-101"]
    assert await rooms(status=RoomStatus.CLOSED) == ["NH-102"]
    assert await rooms(building_id=north.id, floor=1, status=RoomStatus.ACTIVE) == ["NH-101"]
    assert await rooms(floor=9) == []


async def test_buildings_filter_by_active(backend: Backend) -> None:
    await saved(backend, a_building("NH"), a_building("OH", active=False), a_building("SH"))

    async def codes(active: bool | None) -> list[str]:
        page = await backend.queries.buildings(BuildingFilter(active=active), PageRequest())
        return [building.code for building in page.items]

    assert await codes(None) == ["NH", "OH", "SH"]
    assert await codes(True) == ["NH", "SH"]
    assert await codes(False) == ["OH"]


# q searches "first last", the student id and the email, ignoring case; `%` and `_` are plain
# characters (as wildcards, "ben_adams" would also find benxadams@ and "%" everyone).
@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        pytest.param({}, ["ben", "dan", "ada", "cara"], id="everyone"),
        pytest.param({"status": ResidentStatus.ACTIVE}, ["ada"], id="status"),
        pytest.param({"department": "PHYSICS"}, ["ada", "cara"], id="department-any-case"),
        pytest.param(
            {"department": "physics", "status": ResidentStatus.FORMER},
            ["cara"],
            id="department-and-status",
        ),
        pytest.param({"q": "ada oka"}, ["ada"], id="q-full-name"),
        pytest.param({"q": "  OKAFOR "}, ["ada", "cara"], id="q-trimmed-any-case"),
        pytest.param({"q": "0041"}, ["ben", "ada"], id="q-student-id"),
        pytest.param({"q": "Example.EDU"}, ["ben", "dan", "ada", "cara"], id="q-email"),
        pytest.param({"q": "ben_adams"}, ["ben"], id="q-underscore-literal"),
        pytest.param({"q": "_"}, ["ben"], id="q-lone-underscore"),
        pytest.param({"q": "%"}, [], id="q-lone-percent"),
        pytest.param({"q": "a%o"}, [], id="q-percent-literal"),
    ],
)
async def test_residents_filter(
    backend: Backend, criteria: dict[str, Any], expected: list[str]
) -> None:
    await saved(
        backend,
        a_resident(
            "00412345",
            first_name="Ada",
            last_name="Okafor",
            email="ada.okafor@example.edu",
            department="Physics",
            status=ResidentStatus.ACTIVE,
        ),
        a_resident(
            "00412399",
            first_name="Ben",
            last_name="Adams",
            email="ben_adams@example.edu",
            department="Chemistry",
        ),
        a_resident(
            "10000001",
            first_name="Cara",
            last_name="Okafor",
            email="cara.okafor@example.edu",
            department="physics",
            status=ResidentStatus.FORMER,
        ),
        a_resident("20000002", first_name="Dan", last_name="Brown", email="benxadams@example.edu"),
    )

    page = await backend.queries.residents(ResidentFilter(**criteria), PageRequest())

    assert [resident.first_name.lower() for resident in page.items] == expected
    assert page.total == len(expected)


async def test_total_counts_every_match_and_page_holds_the_slice(backend: Backend) -> None:
    building = a_building()
    await saved(backend, building, *(a_room(building, f"1{n:02}") for n in range(1, 8)))

    page = await backend.queries.rooms(RoomFilter(floor=1), PageRequest(limit=3, offset=3))

    assert page.total == 7
    assert (page.limit, page.offset) == (3, 3)
    assert [room.number for room in page.items] == ["104", "105", "106"]
    past_the_end = await backend.queries.rooms(RoomFilter(), PageRequest(limit=3, offset=7))
    assert (past_the_end.total, past_the_end.items) == (7, [])


async def test_paging_through_rooms_shows_each_once_in_order(backend: Backend) -> None:
    buildings = [a_building(code) for code in ("BA", "AB", "AA")]
    rooms = [a_room(b, number) for b in buildings for number in ("201", "102", "101")]
    await saved(backend, *buildings, *rooms)

    items = await page_through(lambda page: backend.queries.rooms(RoomFilter(), page), limit=4)

    expected = sorted(
        (b.code, r.number, r.id) for b in buildings for r in rooms if r.building_id == b.id
    )
    assert [(item.building_code, item.number, item.id) for item in items] == expected


async def test_paging_through_residents_breaks_ties_on_student_id(backend: Backend) -> None:
    # The same name nine times, so the student id decides their order.
    residents = [
        a_resident(f"S{n}", first_name="Ada", last_name="Okafor")
        for n in (5, 3, 9, 1, 7, 2, 8, 4, 6)
    ] + [a_resident("S0", first_name="Ada", last_name="Adams")]
    await saved(backend, *residents)

    items = await page_through(
        lambda page: backend.queries.residents(ResidentFilter(), page), limit=3
    )

    assert [item.student_id for item in items] == ["S0", *(f"S{n}" for n in range(1, 10))]


async def test_paging_through_buildings_and_terms(backend: Backend) -> None:
    codes = ["QH", "AH", "MH", "CH", "ZH"]
    terms = [
        a_term("Summer", date(2027, 6, 1)),
        a_term("Autumn", date(2026, 9, 21)),
        a_term("Spring", date(2027, 1, 11)),
        a_term("Bridging", date(2026, 9, 21)),  # same start as Autumn: the name decides
    ]
    await saved(backend, *(a_building(code) for code in codes), *terms)

    buildings = await page_through(
        lambda page: backend.queries.buildings(BuildingFilter(), page), limit=2
    )
    term_views = await page_through(backend.queries.terms, limit=3)

    assert [building.code for building in buildings] == sorted(codes)
    assert [term.name for term in term_views] == ["Autumn", "Bridging", "Spring", "Summer"]


async def test_room_views_carry_building_code_and_active_bed_capacity(backend: Backend) -> None:
    building = a_building("NH")
    furnished, bare = a_room(building, "101"), a_room(building, "102")
    beds = [Bed(furnished.id, "A"), Bed(furnished.id, "B"), Bed(furnished.id, "C", active=False)]
    await saved(backend, building, furnished, bare, *beds)

    one = await backend.queries.room(furnished.id)
    listed = (await backend.queries.rooms(RoomFilter(), PageRequest())).items

    assert one is not None
    assert (one.building_code, one.capacity) == ("NH", 2)
    assert [(room.number, room.building_code, room.capacity) for room in listed] == [
        ("101", "NH", 2),
        ("102", "NH", 0),
    ]
    assert listed[0] == one


async def test_unknown_ids_read_as_none(backend: Backend) -> None:
    building = a_building()
    await saved(backend, building)
    queries = backend.queries
    assert await queries.room(building.id) is None
    assert await queries.resident(building.id) is None
    assert await queries.term(building.id) is None
    assert await queries.beds(building.id) == []
    assert await queries.building(building.id) is not None
