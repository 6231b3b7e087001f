"""In-memory fakes of the closures and occupancy ports, over the bookings and housing fakes,
by the rules of the SQL ones (the domain's own coverage rules)."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Self
from uuid import UUID

from application.bookings.views import ClosureFilter, ClosurePage, ClosureView, closure_view
from application.shared.paging import PageRequest
from domain.bookings.closures import (
    BedPlace,
    BookedBed,
    Closure,
    ClosureTarget,
    closed_for,
    covers,
)
from domain.bookings.model import OCCUPYING_STATES, BookingState
from domain.bookings.occupancy import OccupancyCount
from domain.housing.model import Bed, Room, RoomStatus, RoomType
from domain.shared.dates import DateRange
from domain.shared.errors import Conflict
from tests.fakes.bookings import InMemoryBookingStore, InMemoryBookingsUnitOfWork
from tests.fakes.housing import InMemoryHousingStore


class InMemoryClosureRepository:
    def __init__(self, rows: dict[UUID, Closure]) -> None:
        self._rows = rows

    async def get(self, closure_id: UUID) -> Closure | None:
        return self._rows.get(closure_id)

    async def add(self, closure: Closure) -> None:
        if closure.id in self._rows:
            raise Conflict("id is already taken", field="id")
        self._rows[closure.id] = closure

    async def delete(self, closure_id: UUID) -> None:
        self._rows.pop(closure_id, None)


class InMemoryClosuresUnitOfWork(InMemoryBookingsUnitOfWork):
    """Closures, and the emails a forced one sends, committed together (over the bookings
    unit of work: one store, one lock)."""

    async def __aenter__(self) -> Self:
        await super().__aenter__()
        self._closures = dict(self._store.closures)
        self.closures = InMemoryClosureRepository(self._closures)
        return self

    async def commit(self) -> None:
        await super().commit()
        self._store.closures = dict(self._closures)


class InMemoryClosureQueries:
    def __init__(self, housing: InMemoryHousingStore, bookings: InMemoryBookingStore) -> None:
        self._housing = housing
        self._bookings = bookings

    def _places(self) -> dict[UUID, BedPlace]:
        tables = self._housing.tables
        return {
            bed.id: BedPlace(bed.id, bed.room_id, tables.rooms[bed.room_id].building_id)
            for bed in tables.beds.values()
        }

    def _building_of(self, closure: Closure) -> UUID | None:
        tables = self._housing.tables
        if closure.target is ClosureTarget.BUILDING:
            return closure.target_id if closure.target_id in tables.buildings else None
        place = next((p for p in self._places().values() if covers(closure, p)), None)
        if place is None and closure.target is ClosureTarget.ROOM:
            room = tables.rooms.get(closure.target_id)
            return None if room is None else room.building_id
        return None if place is None else place.building_id

    async def bed_place(self, bed_id: UUID) -> BedPlace | None:
        return self._places().get(bed_id)

    async def target_exists(self, target: ClosureTarget, target_id: UUID) -> bool:
        tables = self._housing.tables
        table = {ClosureTarget.BED: tables.beds, ClosureTarget.ROOM: tables.rooms}
        return target_id in table.get(target, tables.buildings)

    def _covered(self, target: ClosureTarget, target_id: UUID) -> dict[UUID, BedPlace]:
        probe = Closure(target, target_id, DateRange(date.min, date.max), "probe", _EPOCH)
        return {bed_id: p for bed_id, p in self._places().items() if covers(probe, p)}

    async def covered_beds(self, target: ClosureTarget, target_id: UUID) -> list[UUID]:
        return sorted(self._covered(target, target_id))

    async def booked_beds(
        self, target: ClosureTarget, target_id: UUID, dates: DateRange
    ) -> list[BookedBed]:
        covered = self._covered(target, target_id)
        return [
            BookedBed(b.id, b.resident_id, b.state, b.stay, covered[b.bed_id])
            for b in self._bookings.rows.values()
            if b.active and b.bed_id in covered and b.stay.overlaps(dates)
        ]

    async def bed_closed(self, bed_id: UUID, stay: DateRange) -> bool:
        place = self._places().get(bed_id)
        closures = self._bookings.closures.values()
        return place is not None and closed_for(closures, place, stay)

    async def closure(self, closure_id: UUID) -> ClosureView | None:
        found = self._bookings.closures.get(closure_id)
        return None if found is None else closure_view(found, self._building_of(found))

    async def closures(self, criteria: ClosureFilter, page: PageRequest) -> ClosurePage:
        views = [closure_view(c, self._building_of(c)) for c in self._bookings.closures.values()]
        if criteria.building_id is not None:
            views = [v for v in views if v.building_id == criteria.building_id]
        if (day := criteria.active_on) is not None:
            views = [v for v in views if v.starts_on <= day < v.ends_on]
        views.sort(key=lambda v: v.id.bytes)
        views.sort(key=lambda v: v.starts_on, reverse=True)
        items = views[page.offset : page.offset + page.limit]
        return ClosurePage(items=items, total=len(views), limit=page.limit, offset=page.offset)


class InMemoryOccupancyQueries:
    def __init__(self, housing: InMemoryHousingStore, bookings: InMemoryBookingStore) -> None:
        self._housing = housing
        self._bookings = bookings

    def _states_on(self, on: date) -> dict[UUID, set[BookingState]]:
        states: dict[UUID, set[BookingState]] = {}
        for b in self._bookings.rows.values():
            if b.bed_id is not None and b.stay.contains(on):
                states.setdefault(b.bed_id, set()).add(b.state)
        return states

    def _category(self, bed: Bed, room: Room, states: set[BookingState], on: date) -> str:
        """The first that fits, in the SQL query's order."""
        if states & OCCUPYING_STATES:
            return "occupied"
        if BookingState.HELD in states:
            return "held"
        place = BedPlace(bed.id, room.id, room.building_id)
        day = DateRange(on, on + timedelta(days=1))
        if room.status is RoomStatus.CLOSED or closed_for(
            self._bookings.closures.values(), place, day
        ):
            return "closed"
        return "free"

    async def occupancy(self, on: date) -> list[OccupancyCount]:
        tables = self._housing.tables
        states = self._states_on(on)
        groups: dict[tuple[UUID, str, RoomType], Counter[str]] = {}
        for bed in tables.beds.values():
            room = tables.rooms[bed.room_id]
            building = tables.buildings[room.building_id]
            if bed.active and building.active:
                category = self._category(bed, room, states.get(bed.id, set()), on)
                key = (building.id, building.code, room.type)
                groups.setdefault(key, Counter())[category] += 1
        return [
            OccupancyCount(
                building_id=building_id,
                building_code=code,
                room_type=room_type,
                beds=counts.total(),
                occupied=counts["occupied"],
                held=counts["held"],
                closed=counts["closed"],
            )
            for (building_id, code, room_type), counts in groups.items()
        ]


_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
