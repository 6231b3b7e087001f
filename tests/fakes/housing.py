"""In-memory fakes of the housing ports."""

import copy
from dataclasses import dataclass, field, fields
from datetime import datetime
from types import TracebackType
from typing import Any, Self
from uuid import UUID

from application.housing.views import (
    BedView,
    BuildingFilter,
    BuildingPage,
    BuildingView,
    EmergencyContactView,
    MoneyView,
    ResidentFilter,
    ResidentPage,
    ResidentView,
    RoomFilter,
    RoomPage,
    RoomView,
    TermPage,
    TermView,
)
from application.shared.paging import PageRequest
from domain.housing.model import Bed, Building, Resident, Room, Term
from domain.shared.errors import Conflict
from tests.fakes.system import FixedClock


@dataclass
class HousingTables:
    buildings: dict[UUID, Building] = field(default_factory=dict)
    rooms: dict[UUID, Room] = field(default_factory=dict)
    beds: dict[UUID, Bed] = field(default_factory=dict)
    residents: dict[UUID, Resident] = field(default_factory=dict)
    terms: dict[UUID, Term] = field(default_factory=dict)
    created_at: dict[UUID, datetime] = field(default_factory=dict)
    updated_at: dict[UUID, datetime] = field(default_factory=dict)


def _snapshot(tables: HousingTables) -> HousingTables:
    """Repositories copy an entity on every read and write, so copying each table's dict is
    enough to isolate a unit of work; deep-copying the whole store made large seeds crawl."""
    return HousingTables(
        **{column.name: dict(getattr(tables, column.name)) for column in fields(tables)}
    )


class InMemoryHousingStore:
    """The committed state, shared by the unit-of-work factory and the queries."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.tables = HousingTables()
        self.clock = clock or FixedClock()


class _Repository:
    def __init__(self, tables: HousingTables, rows: dict[UUID, Any], clock: FixedClock) -> None:
        self._tables = tables
        self._rows = rows
        self._clock = clock

    async def get(self, entity_id: UUID) -> Any:
        entity = self._rows.get(entity_id)
        return copy.deepcopy(entity)

    def _first(self, **match: object) -> Any:
        for entity in self._rows.values():
            if all(getattr(entity, name) == value for name, value in match.items()):
                return copy.deepcopy(entity)
        return None

    def _put(self, entity: Any, *, new: bool) -> None:
        if new and entity.id in self._rows:
            raise Conflict("id is already taken", field="id")
        self._rows[entity.id] = copy.deepcopy(entity)
        if new:
            self._tables.created_at[entity.id] = self._clock.now()
        self._tables.updated_at[entity.id] = self._clock.now()

    async def add(self, entity: Any) -> None:
        self._put(entity, new=True)

    async def update(self, entity: Any) -> None:
        if entity.id in self._rows:
            self._put(entity, new=False)

    async def delete(self, entity_id: UUID) -> None:
        self._rows.pop(entity_id, None)


class InMemoryBuildingRepository(_Repository):
    async def get_by_code(self, code: str) -> Building | None:
        return self._first(code=code)  # type: ignore[no-any-return]

    async def count_rooms(self, building_id: UUID) -> int:
        return sum(1 for room in self._tables.rooms.values() if room.building_id == building_id)

    async def highest_room_floor(self, building_id: UUID) -> int | None:
        floors = [
            room.floor for room in self._tables.rooms.values() if room.building_id == building_id
        ]
        return max(floors, default=None)


class InMemoryRoomRepository(_Repository):
    async def get_by_number(self, building_id: UUID, number: str) -> Room | None:
        return self._first(building_id=building_id, number=number)  # type: ignore[no-any-return]

    async def delete(self, entity_id: UUID) -> None:
        for bed in [bed for bed in self._tables.beds.values() if bed.room_id == entity_id]:
            del self._tables.beds[bed.id]
        await super().delete(entity_id)

    async def beds(self, room_id: UUID) -> list[Bed]:
        found = [copy.deepcopy(bed) for bed in self._tables.beds.values() if bed.room_id == room_id]
        return sorted(found, key=lambda bed: bed.label)

    async def add_bed(self, bed: Bed) -> None:
        if any(
            b.room_id == bed.room_id and b.label == bed.label for b in self._tables.beds.values()
        ):
            raise Conflict("label is already taken", field="label")
        self._tables.beds[bed.id] = copy.deepcopy(bed)

    async def update_bed(self, bed: Bed) -> None:
        if bed.id in self._tables.beds:
            self._tables.beds[bed.id] = copy.deepcopy(bed)

    async def delete_bed(self, bed_id: UUID) -> None:
        self._tables.beds.pop(bed_id, None)


class InMemoryResidentRepository(_Repository):
    async def get_by_student_id(self, student_id: str) -> Resident | None:
        return self._first(student_id=student_id)  # type: ignore[no-any-return]

    async def get_by_email(self, email: str) -> Resident | None:
        return self._first(email=email)  # type: ignore[no-any-return]


class InMemoryTermRepository(_Repository):
    async def get_by_name(self, name: str) -> Term | None:
        return self._first(name=name)  # type: ignore[no-any-return]


class InMemoryHousingUnitOfWork:
    """Works on a private copy of the store; `commit()` publishes it, anything else drops it,
    which gives the same all-or-nothing behaviour as a database transaction."""

    def __init__(self, store: InMemoryHousingStore) -> None:
        self._store = store
        self._work: HousingTables | None = None
        self.committed = False

    async def __aenter__(self) -> Self:
        self._work = _snapshot(self._store.tables)
        clock = self._store.clock
        self.buildings = InMemoryBuildingRepository(self._work, self._work.buildings, clock)
        self.rooms = InMemoryRoomRepository(self._work, self._work.rooms, clock)
        self.residents = InMemoryResidentRepository(self._work, self._work.residents, clock)
        self.terms = InMemoryTermRepository(self._work, self._work.terms, clock)
        return self

    async def commit(self) -> None:
        assert self._work is not None, "commit() outside `async with`"
        self._store.tables = _snapshot(self._work)
        self.committed = True

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._work = None


def _page_of(items: list[Any], page: PageRequest) -> tuple[int, list[Any]]:
    return len(items), items[page.offset : page.offset + page.limit]


class InMemoryHousingQueries:
    """Same filters and orders as SqlAlchemyHousingQueries, over the committed store."""

    def __init__(self, store: InMemoryHousingStore) -> None:
        self._store = store

    @property
    def store(self) -> InMemoryHousingStore:
        """For fakes of other contexts that read the housing records too."""
        return self._store

    @property
    def _t(self) -> HousingTables:
        return self._store.tables

    def _stamps(self, entity_id: UUID) -> dict[str, datetime]:
        return {
            "created_at": self._t.created_at[entity_id],
            "updated_at": self._t.updated_at[entity_id],
        }

    def _building_view(self, b: Building) -> BuildingView:
        return BuildingView(
            id=b.id,
            code=b.code,
            name=b.name,
            address=b.address,
            floors=b.floors,
            gender_policy=b.gender_policy,
            amenities=list(b.amenities),
            active=b.active,
            **self._stamps(b.id),
        )

    def _room_view(self, r: Room) -> RoomView:
        return RoomView(
            id=r.id,
            building_id=r.building_id,
            building_code=self._t.buildings[r.building_id].code,
            number=r.number,
            floor=r.floor,
            type=r.type,
            accessible=r.accessible,
            features=list(r.features),
            status=r.status,
            nightly_rate=MoneyView(amount=r.nightly_rate.amount, currency=r.nightly_rate.currency),
            capacity=sum(1 for bed in self._t.beds.values() if bed.room_id == r.id and bed.active),
            **self._stamps(r.id),
        )

    def _resident_view(self, r: Resident) -> ResidentView:
        contact = r.emergency_contact
        return ResidentView(
            id=r.id,
            student_id=r.student_id,
            first_name=r.first_name,
            last_name=r.last_name,
            email=r.email,
            phone=r.phone,
            gender=r.gender,
            date_of_birth=r.date_of_birth,
            department=r.department,
            year_of_study=r.year_of_study,
            status=r.status,
            needs_accessible_room=r.needs_accessible_room,
            email_opt_in=r.email_opt_in,
            sms_opt_in=r.sms_opt_in,
            locked_fields=list(r.locked_fields),
            accessibility_notes=r.accessibility_notes,
            emergency_contact=None
            if contact is None
            else EmergencyContactView(
                name=contact.name, phone=contact.phone, relationship=contact.relationship
            ),
            **self._stamps(r.id),
        )

    def _term_view(self, t: Term) -> TermView:
        return TermView(
            id=t.id, name=t.name, starts_on=t.dates.start, ends_on=t.dates.end, **self._stamps(t.id)
        )

    async def building(self, building_id: UUID) -> BuildingView | None:
        found = self._t.buildings.get(building_id)
        return None if found is None else self._building_view(found)

    async def buildings(self, criteria: BuildingFilter, page: PageRequest) -> BuildingPage:
        matching = [b for b in self._t.buildings.values() if criteria.active in (None, b.active)]
        matching.sort(key=lambda b: (b.code, str(b.id)))
        total, items = _page_of(matching, page)
        return BuildingPage(
            items=[self._building_view(b) for b in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def room(self, room_id: UUID) -> RoomView | None:
        found = self._t.rooms.get(room_id)
        return None if found is None else self._room_view(found)

    async def rooms(self, criteria: RoomFilter, page: PageRequest) -> RoomPage:
        wanted = {
            name: value
            for name in ("building_id", "floor", "type", "accessible", "status")
            if (value := getattr(criteria, name)) is not None
        }
        matching = [
            r for r in self._t.rooms.values() if all(getattr(r, k) == v for k, v in wanted.items())
        ]
        matching.sort(key=lambda r: (self._t.buildings[r.building_id].code, r.number, str(r.id)))
        total, items = _page_of(matching, page)
        return RoomPage(
            items=[self._room_view(r) for r in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def beds(self, room_id: UUID) -> list[BedView]:
        found = sorted(
            (b for b in self._t.beds.values() if b.room_id == room_id),
            key=lambda b: (b.label, str(b.id)),
        )
        return [BedView(id=b.id, room_id=b.room_id, label=b.label, active=b.active) for b in found]

    async def resident(self, resident_id: UUID) -> ResidentView | None:
        found = self._t.residents.get(resident_id)
        return None if found is None else self._resident_view(found)

    async def residents(self, criteria: ResidentFilter, page: PageRequest) -> ResidentPage:
        def matches(r: Resident) -> bool:
            if criteria.status is not None and r.status != criteria.status:
                return False
            if (
                criteria.department is not None
                and (r.department or "").lower() != criteria.department.lower()
            ):
                return False
            if criteria.q:
                needle = criteria.q.strip().lower()
                haystacks = (f"{r.first_name} {r.last_name}", r.student_id, r.email)
                return any(needle in text.lower() for text in haystacks)
            return True

        matching = sorted(
            (r for r in self._t.residents.values() if matches(r)),
            key=lambda r: (r.last_name, r.first_name, r.student_id, str(r.id)),
        )
        total, items = _page_of(matching, page)
        return ResidentPage(
            items=[self._resident_view(r) for r in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )

    async def term(self, term_id: UUID) -> TermView | None:
        found = self._t.terms.get(term_id)
        return None if found is None else self._term_view(found)

    async def terms(self, page: PageRequest) -> TermPage:
        matching = sorted(self._t.terms.values(), key=lambda t: (t.dates.start, t.name, str(t.id)))
        total, items = _page_of(matching, page)
        return TermPage(
            items=[self._term_view(t) for t in items],
            total=total,
            limit=page.limit,
            offset=page.offset,
        )
