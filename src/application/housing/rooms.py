"""Use cases for rooms."""

from uuid import UUID

from msgspec import UNSET

from application.housing.commands import CreateRoomCommand, MoneyInput, RoomPatch
from application.housing.ports import HousingQueries, HousingUnitOfWork, HousingUnitOfWorkFactory
from application.housing.views import RoomFilter, RoomPage, RoomView
from application.shared.paging import PageRequest
from domain.housing.errors import RoomNumberTaken
from domain.housing.model import Bed, Building, Room
from domain.housing.rules import (
    BEDS_BY_ROOM_TYPE,
    check_bed_count,
    check_floor,
    default_bed_labels,
    normalise_room_number,
    normalise_tags,
)
from domain.shared.errors import InvalidValue, NotFound
from domain.shared.money import Money


async def room_view(queries: HousingQueries, room_id: UUID) -> RoomView:
    view = await queries.room(room_id)
    if view is None:
        raise NotFound("room", room_id)
    return view


def _money(value: MoneyInput) -> Money:
    return Money.of(value.amount, value.currency, field="nightly_rate.amount")


async def _building(uow: HousingUnitOfWork, building_id: UUID) -> Building:
    building = await uow.buildings.get(building_id)
    if building is None:
        # The id comes from the request body: a bad value, not a missing resource at this URL.
        raise InvalidValue("building_id", f"no building has id {building_id}")
    return building


class CreateRoom:
    """Adds a room to a building, with its beds.

    - `number` is upper-cased and unique within the building (409 when taken).
    - `floor` lies between 1 and the building's floor count (422 otherwise).
    - the room gets as many beds as its type implies (single 1, double 2, triple 3, quad 4,
      studio 1, suite 4), labelled A, B, ...; `beds` overrides the count (0 to 12).
    - the nightly rate is an exact decimal with at most two places, in a three-letter currency.
    """

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, command: CreateRoomCommand) -> RoomView:
        bed_count = check_bed_count(
            BEDS_BY_ROOM_TYPE[command.type] if command.beds is None else command.beds
        )
        async with self._uow() as uow:
            building = await _building(uow, command.building_id)
            room = Room(
                building_id=building.id,
                number=normalise_room_number(command.number),
                floor=check_floor(command.floor, building.floors),
                type=command.type,
                nightly_rate=_money(command.nightly_rate),
                accessible=command.accessible,
                features=normalise_tags(command.features, "features"),
                status=command.status,
            )
            if await uow.rooms.get_by_number(building.id, room.number):
                raise RoomNumberTaken(room.number)
            await uow.rooms.add(room)
            for label in default_bed_labels(bed_count):
                await uow.rooms.add_bed(Bed(room_id=room.id, label=label))
            await uow.commit()
        return await room_view(self._queries, room.id)


class UpdateRoom:
    """Changes some fields of a room; fields left out keep their value.

    - a new `number` must be unique within the building (409).
    - `floor` must lie within the building's floors (422).
    - changing `type` does not add or remove beds: manage them under `/api/rooms/{id}/beds`.
    - `status: closed` takes the room out of allocation; its beds are kept.
    """

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, room_id: UUID, patch: RoomPatch) -> RoomView:
        async with self._uow() as uow:
            room = await uow.rooms.get(room_id)
            if room is None:
                raise NotFound("room", room_id)
            if patch.number is not UNSET:
                number = normalise_room_number(patch.number)
                other = await uow.rooms.get_by_number(room.building_id, number)
                if other and other.id != room.id:
                    raise RoomNumberTaken(number)
                room.number = number
            if patch.floor is not UNSET:
                building = await _building(uow, room.building_id)
                room.floor = check_floor(patch.floor, building.floors)
            if patch.type is not UNSET:
                room.type = patch.type
            if patch.nightly_rate is not UNSET:
                room.nightly_rate = _money(patch.nightly_rate)
            if patch.accessible is not UNSET:
                room.accessible = patch.accessible
            if patch.features is not UNSET:
                room.features = normalise_tags(patch.features, "features")
            if patch.status is not UNSET:
                room.status = patch.status
            await uow.rooms.update(room)
            await uow.commit()
        return await room_view(self._queries, room_id)


class DeleteRoom:
    """Removes a room and its beds. A room with a bed that a booking was given (in any state:
    bookings are kept as history) is refused (409); deactivate its beds instead."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, room_id: UUID) -> None:
        async with self._uow() as uow:
            if await uow.rooms.get(room_id) is None:
                raise NotFound("room", room_id)
            await uow.rooms.delete(room_id)
            await uow.commit()


class GetRoom:
    """Reads one room with its building code and capacity (its count of active beds)."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, room_id: UUID) -> RoomView:
        return await room_view(self._queries, room_id)


class ListRooms:
    """Lists rooms ordered by building code, then room number.

    Filters combine: building, floor, type, accessible, status. Listing the rooms of a
    building that does not exist is a 404, not an empty page.
    """

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: RoomFilter, page: PageRequest) -> RoomPage:
        if (
            criteria.building_id is not None
            and await self._queries.building(criteria.building_id) is None
        ):
            raise NotFound("building", criteria.building_id)
        return await self._queries.rooms(criteria, page)
