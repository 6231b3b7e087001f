"""Closures, the occupancy query and the booking counts behind the delete guards behave alike
on the fakes, SQLite and PostgreSQL."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from application.bookings.views import ClosureFilter
from application.shared.paging import PageRequest
from domain.bookings.closures import BedPlace, Closure, ClosureTarget
from domain.bookings.model import Booking, BookingState
from domain.housing.model import Bed, RoomStatus, RoomType
from domain.shared.dates import DateRange
from tests.integration.bookings_backends import BookingsBackend, bookings_backend
from tests.integration.housing_backends import ALL_BACKENDS, a_building, a_resident, a_room, saved

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
STAY = DateRange(date(2026, 9, 21), date(2026, 12, 19))
OCTOBER = DateRange(date(2026, 10, 1), date(2026, 10, 15))


@pytest.fixture(params=ALL_BACKENDS)
def backend(request: pytest.FixtureRequest) -> BookingsBackend:
    return bookings_backend(request)


class Site:
    """Two buildings; North has a double room (beds A, B) and a closed single (bed C)."""

    def __init__(self) -> None:
        self.north, self.south = a_building("NH"), a_building("SH")
        self.double = a_room(self.north, "101", type=RoomType.DOUBLE)
        self.single = a_room(self.north, "102", type=RoomType.SINGLE, status=RoomStatus.CLOSED)
        self.south_room = a_room(self.south, "101", type=RoomType.DOUBLE)
        self.a, self.b = (
            Bed(room_id=self.double.id, label="A"),
            Bed(room_id=self.double.id, label="B"),
        )
        self.c = Bed(room_id=self.single.id, label="A")
        self.d = Bed(room_id=self.south_room.id, label="A")
        self.people = [a_resident(f"{n:08d}") for n in range(3)]

    def entities(self) -> list[object]:
        return [self.north, self.south, self.double, self.single, self.south_room]


async def furnished(backend: BookingsBackend) -> Site:
    site = Site()
    await saved(backend.housing, *site.entities(), site.a, site.b, site.c, site.d, *site.people)
    return site


async def booked(backend: BookingsBackend, *bookings: Booking) -> None:
    async with backend.uow() as uow:
        for booking in bookings:
            await uow.bookings.add(booking)
        await uow.commit()


def a_booking(resident_id: UUID, bed: Bed, state: BookingState, stay: DateRange = STAY) -> Booking:
    deadline = NOW + timedelta(minutes=30) if state is BookingState.HELD else None
    return Booking(
        resident_id=resident_id,
        stay=stay,
        requested_at=NOW,
        state=state,
        bed_id=bed.id,
        hold_expires_at=deadline,
    )


def a_closure(target: ClosureTarget, target_id: UUID, dates: DateRange = OCTOBER) -> Closure:
    return Closure(target, target_id, dates, "water damage", NOW, created_by=uuid4())


async def placed(backend: BookingsBackend, *closures: Closure) -> None:
    async with backend.closures_uow() as uow:
        for closure in closures:
            await uow.closures.add(closure)
        await uow.commit()


async def test_a_closure_is_stored_read_listed_and_lifted(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    on_bed = a_closure(ClosureTarget.BED, site.a.id)
    on_south = a_closure(
        ClosureTarget.BUILDING, site.south.id, DateRange(date(2026, 11, 1), date(2026, 11, 5))
    )
    await placed(backend, on_bed, on_south)

    async with backend.closures_uow() as uow:
        assert await uow.closures.get(on_bed.id) == on_bed
    view = await backend.closures.closure(on_bed.id)
    in_north = await backend.closures.closures(
        ClosureFilter(building_id=site.north.id), PageRequest()
    )
    every = await backend.closures.closures(ClosureFilter(), PageRequest())
    on_day = await backend.closures.closures(
        ClosureFilter(active_on=date(2026, 10, 14)), PageRequest()
    )
    after = await backend.closures.closures(ClosureFilter(active_on=OCTOBER.end), PageRequest())

    assert view is not None
    assert (view.building_id, view.starts_on, view.created_at) == (
        site.north.id,
        OCTOBER.start,
        NOW,
    )
    assert [c.id for c in in_north.items] == [on_bed.id]
    assert [c.id for c in every.items] == [on_south.id, on_bed.id]  # the latest start first
    assert ([c.id for c in on_day.items], after.total) == ([on_bed.id], 0)
    async with backend.closures_uow() as uow:
        await uow.closures.delete(on_bed.id)
        await uow.commit()
    assert await backend.closures.closure(on_bed.id) is None


async def test_coverage_places_and_closed_beds(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    await placed(backend, a_closure(ClosureTarget.ROOM, site.double.id))
    closures = backend.closures

    assert await closures.bed_place(site.a.id) == BedPlace(site.a.id, site.double.id, site.north.id)
    assert await closures.bed_place(uuid4()) is None
    assert await closures.target_exists(ClosureTarget.ROOM, site.double.id)
    assert not await closures.target_exists(ClosureTarget.BED, site.double.id)
    assert await closures.target_exists(ClosureTarget.BUILDING, site.south.id)
    assert set(await closures.covered_beds(ClosureTarget.BUILDING, site.north.id)) == {
        site.a.id,
        site.b.id,
        site.c.id,
    }
    assert await closures.covered_beds(ClosureTarget.BED, site.d.id) == [site.d.id]
    assert await closures.bed_closed(site.b.id, STAY)
    assert not await closures.bed_closed(site.b.id, DateRange(OCTOBER.end, STAY.end))
    assert not await closures.bed_closed(site.d.id, STAY)


async def test_booked_beds_are_the_active_bookings_over_the_dates(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    held = a_booking(site.people[0].id, site.a, BookingState.HELD)
    cancelled = a_booking(site.people[1].id, site.b, BookingState.CANCELLED)
    later = a_booking(
        site.people[1].id, site.b, BookingState.CONFIRMED, DateRange(OCTOBER.end, STAY.end)
    )
    elsewhere = a_booking(site.people[2].id, site.d, BookingState.CHECKED_IN)
    await booked(backend, held, cancelled, later, elsewhere)

    found = await backend.closures.booked_beds(ClosureTarget.BUILDING, site.north.id, OCTOBER)

    assert [(b.booking_id, b.resident_id, b.state, b.stay) for b in found] == [
        (held.id, held.resident_id, BookingState.HELD, STAY)
    ]
    assert found[0].place == BedPlace(site.a.id, site.double.id, site.north.id)


async def test_free_beds_leave_out_beds_a_closure_covers(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    await placed(
        backend,
        a_closure(ClosureTarget.BED, site.a.id),
        a_closure(ClosureTarget.BUILDING, site.south.id),
    )

    during = {bed.bed_id for bed in await backend.facts.free_beds(STAY)}
    after = {bed.bed_id for bed in await backend.facts.free_beds(DateRange(OCTOBER.end, STAY.end))}

    assert during == {site.b.id}  # C's room is closed, D's building shut for October
    assert after == {site.a.id, site.b.id, site.d.id}


async def test_occupancy_counts_each_bed_in_one_category(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    await booked(
        backend,
        a_booking(site.people[0].id, site.a, BookingState.CHECKED_IN),
        a_booking(site.people[1].id, site.b, BookingState.HELD),
        a_booking(site.people[2].id, site.d, BookingState.CANCELLED),
    )
    await placed(backend, a_closure(ClosureTarget.BUILDING, site.south.id))

    counts = await backend.occupancy.occupancy(date(2026, 10, 1))
    before = await backend.occupancy.occupancy(date(2026, 9, 20))

    by_group = {(c.building_code, c.room_type): c for c in counts}
    assert set(by_group) == {
        ("NH", RoomType.DOUBLE),
        ("NH", RoomType.SINGLE),
        ("SH", RoomType.DOUBLE),
    }
    double = by_group[("NH", RoomType.DOUBLE)]
    assert (double.beds, double.occupied, double.held, double.closed) == (2, 1, 1, 0)
    assert double.percent == Decimal("50.0")
    single, south = by_group[("NH", RoomType.SINGLE)], by_group[("SH", RoomType.DOUBLE)]
    assert (single.closed, single.percent) == (1, None)  # the room is closed
    assert (south.closed, south.free) == (1, 0)
    assert sum(c.occupied + c.held for c in before) == 0


async def test_booking_counts_for_residents_and_beds(backend: BookingsBackend) -> None:
    site = await furnished(backend)
    ada = site.people[0].id
    await booked(
        backend,
        a_booking(ada, site.a, BookingState.CONFIRMED),
        a_booking(
            ada, site.b, BookingState.CANCELLED, DateRange(STAY.end, STAY.end + timedelta(days=5))
        ),
    )

    resident = await backend.records.for_resident(ada)
    beds = await backend.records.for_beds([site.b.id, site.c.id])
    none = await backend.records.for_beds([])

    assert (resident.active, resident.total) == (1, 2)
    assert (beds.active, beds.total) == (0, 1)
    assert (none.active, none.total) == (0, 0)
    assert (await backend.records.for_resident(site.people[1].id)).total == 0
