"""The housing use cases wired to the in-memory fakes, with shortcuts for common set-ups."""

from datetime import date
from decimal import Decimal
from typing import Any

from application.housing.beds import AddBed, GetBed, ListBeds, RemoveBed, UpdateBed
from application.housing.buildings import (
    CreateBuilding,
    DeleteBuilding,
    GetBuilding,
    ListBuildings,
    UpdateBuilding,
)
from application.housing.commands import (
    CreateBuildingCommand,
    CreateRoomCommand,
    CreateTermCommand,
    MoneyInput,
    RegisterResidentCommand,
)
from application.housing.ports import HousingUnitOfWork, HousingUnitOfWorkFactory
from application.housing.residents import (
    DeleteResident,
    GetResident,
    ListResidents,
    RegisterResident,
    UpdateResident,
)
from application.housing.rooms import CreateRoom, DeleteRoom, GetRoom, ListRooms, UpdateRoom
from application.housing.terms import CreateTerm, DeleteTerm, GetTerm, ListTerms, UpdateTerm
from application.housing.views import BuildingView, ResidentView, RoomView, TermView
from domain.housing.model import RoomType
from tests.fakes import (
    FixedClock,
    InMemoryBookingRecords,
    InMemoryBookingStore,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
)


class Housing:
    """Every housing use case over one in-memory store."""

    def __init__(self, uow: HousingUnitOfWorkFactory | None = None) -> None:
        self.clock = FixedClock()
        self.store = InMemoryHousingStore(self.clock)
        self.queries = InMemoryHousingQueries(self.store)
        self.uow: HousingUnitOfWorkFactory = uow or self.default_uow
        # The bookings that name housing records; the delete tests add some.
        self.bookings = InMemoryBookingStore()
        records = InMemoryBookingRecords(self.bookings)

        self.create_building = CreateBuilding(self.uow, self.queries)
        self.update_building = UpdateBuilding(self.uow, self.queries)
        self.delete_building = DeleteBuilding(self.uow)
        self.get_building = GetBuilding(self.queries)
        self.list_buildings = ListBuildings(self.queries)

        self.create_room = CreateRoom(self.uow, self.queries)
        self.update_room = UpdateRoom(self.uow, self.queries)
        self.delete_room = DeleteRoom(self.uow, records)
        self.get_room = GetRoom(self.queries)
        self.list_rooms = ListRooms(self.queries)

        self.add_bed = AddBed(self.uow)
        self.update_bed = UpdateBed(self.uow)
        self.remove_bed = RemoveBed(self.uow, records)
        self.get_bed = GetBed(self.queries)
        self.list_beds = ListBeds(self.queries)

        self.register_resident = RegisterResident(self.uow, self.queries, self.clock)
        self.update_resident = UpdateResident(self.uow, self.queries, self.clock)
        self.delete_resident = DeleteResident(self.uow, records)
        self.get_resident = GetResident(self.queries)
        self.list_residents = ListResidents(self.queries)

        self.create_term = CreateTerm(self.uow, self.queries)
        self.update_term = UpdateTerm(self.uow, self.queries)
        self.delete_term = DeleteTerm(self.uow)
        self.get_term = GetTerm(self.queries)
        self.list_terms = ListTerms(self.queries)

    def default_uow(self) -> HousingUnitOfWork:
        return InMemoryHousingUnitOfWork(self.store)

    async def building(self, **overrides: Any) -> BuildingView:
        fields: dict[str, Any] = {
            "code": "NH",
            "name": "North Hall",
            "address": "1 College Road",
            "floors": 5,
        }
        return await self.create_building(CreateBuildingCommand(**(fields | overrides)))

    async def room(self, building: BuildingView, **overrides: Any) -> RoomView:
        fields: dict[str, Any] = {
            "building_id": building.id,
            "number": "101",
            "floor": 1,
            "type": RoomType.DOUBLE,
            "nightly_rate": rate("42.50"),
        }
        return await self.create_room(CreateRoomCommand(**(fields | overrides)))

    async def resident(self, **overrides: Any) -> ResidentView:
        fields: dict[str, Any] = {
            "student_id": "00412345",
            "first_name": "Ada",
            "last_name": "Okafor",
            "email": "ada.okafor@example.edu",
        }
        return await self.register_resident(RegisterResidentCommand(**(fields | overrides)))

    async def term(self, **overrides: Any) -> TermView:
        fields: dict[str, Any] = {
            "name": "Autumn 2026",
            "starts_on": date(2026, 9, 21),
            "ends_on": date(2026, 12, 19),
        }
        return await self.create_term(CreateTermCommand(**(fields | overrides)))

    def counts(self) -> dict[str, int]:
        """How many rows each committed table holds."""
        tables = self.store.tables
        return {
            "buildings": len(tables.buildings),
            "rooms": len(tables.rooms),
            "beds": len(tables.beds),
            "residents": len(tables.residents),
            "terms": len(tables.terms),
        }


def rate(amount: str, currency: str = "EUR") -> MoneyInput:
    return MoneyInput(amount=Decimal(amount), currency=currency)
