from uuid import UUID

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy import tables
from adapters.sqlalchemy.housing import mapping
from adapters.sqlalchemy.repository import TableRepository
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from domain.housing.model import Bed, Building, Resident, Room, Term


class SqlAlchemyBuildingRepository(TableRepository[Building]):
    table = tables.buildings
    to_values = mapping.building_values
    from_row = mapping.building_from

    async def get_by_code(self, code: str) -> Building | None:
        return await self._first(tables.buildings.c.code == code)

    async def count_rooms(self, building_id: UUID) -> int:
        query = select(func.count()).where(tables.rooms.c.building_id == building_id)
        return int((await self._connection.execute(query)).scalar_one())

    async def highest_room_floor(self, building_id: UUID) -> int | None:
        query = select(func.max(tables.rooms.c.floor)).where(
            tables.rooms.c.building_id == building_id
        )
        return (await self._connection.execute(query)).scalar_one()  # type: ignore[no-any-return]


class SqlAlchemyRoomRepository(TableRepository[Room]):
    table = tables.rooms
    to_values = mapping.room_values
    from_row = mapping.room_from

    async def get_by_number(self, building_id: UUID, number: str) -> Room | None:
        return await self._first(
            tables.rooms.c.building_id == building_id, tables.rooms.c.number == number
        )

    async def delete(self, entity_id: UUID) -> None:
        # Explicit rather than relying on ON DELETE CASCADE, which SQLite honours only with
        # its foreign_keys pragma on.
        await self._connection.execute(
            delete(tables.beds).where(tables.beds.c.room_id == entity_id)
        )
        await super().delete(entity_id)

    async def beds(self, room_id: UUID) -> list[Bed]:
        query = (
            select(tables.beds)
            .where(tables.beds.c.room_id == room_id)
            .order_by(tables.beds.c.label)
        )
        return [mapping.bed_from(row) for row in await self._connection.execute(query)]

    async def add_bed(self, bed: Bed) -> None:
        await self._connection.execute(insert(tables.beds).values(mapping.bed_values(bed)))

    async def update_bed(self, bed: Bed) -> None:
        await self._connection.execute(
            update(tables.beds)
            .where(tables.beds.c.id == bed.id)
            .values(label=bed.label, active=bed.active)
        )

    async def delete_bed(self, bed_id: UUID) -> None:
        await self._connection.execute(delete(tables.beds).where(tables.beds.c.id == bed_id))


class SqlAlchemyResidentRepository(TableRepository[Resident]):
    table = tables.residents
    to_values = mapping.resident_values
    from_row = mapping.resident_from

    async def get_by_student_id(self, student_id: str) -> Resident | None:
        return await self._first(tables.residents.c.student_id == student_id)

    async def get_by_email(self, email: str) -> Resident | None:
        return await self._first(tables.residents.c.email == email)


class SqlAlchemyTermRepository(TableRepository[Term]):
    table = tables.terms
    to_values = mapping.term_values
    from_row = mapping.term_from

    async def get_by_name(self, name: str) -> Term | None:
        return await self._first(tables.terms.c.name == name)


class SqlAlchemyHousingUnitOfWork(SqlAlchemyUnitOfWork):
    buildings: SqlAlchemyBuildingRepository
    rooms: SqlAlchemyRoomRepository
    residents: SqlAlchemyResidentRepository
    terms: SqlAlchemyTermRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.buildings = SqlAlchemyBuildingRepository(connection)
        self.rooms = SqlAlchemyRoomRepository(connection)
        self.residents = SqlAlchemyResidentRepository(connection)
        self.terms = SqlAlchemyTermRepository(connection)
