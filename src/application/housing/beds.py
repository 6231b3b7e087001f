"""Use cases for the beds of a room. A room's capacity is its count of active beds."""

from uuid import UUID

from msgspec import UNSET

from application.housing.commands import AddBedCommand, BedPatch
from application.housing.ports import HousingQueries, HousingUnitOfWork, HousingUnitOfWorkFactory
from application.housing.views import BedView
from domain.housing.errors import BedLabelTaken
from domain.housing.model import Bed
from domain.housing.rules import MAX_BEDS_PER_ROOM, next_bed_label, normalise_bed_label
from domain.shared.errors import Conflict, NotFound


async def _beds_of(uow: HousingUnitOfWork, room_id: UUID) -> list[Bed]:
    if await uow.rooms.get(room_id) is None:
        raise NotFound("room", room_id)
    return await uow.rooms.beds(room_id)


def _bed(beds: list[Bed], room_id: UUID, bed_id: UUID) -> Bed:
    for bed in beds:
        if bed.id == bed_id:
            return bed
    raise NotFound("bed", f"{bed_id} in room {room_id}")


def _view(bed: Bed) -> BedView:
    return BedView(id=bed.id, room_id=bed.room_id, label=bed.label, active=bed.active)


class AddBed:
    """Adds a bed to a room.

    - without a `label` the bed gets the first free one of A, B, C, ...
    - labels are unique within the room (409); a room holds at most 12 beds (409).
    """

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, room_id: UUID, command: AddBedCommand) -> BedView:
        async with self._uow() as uow:
            beds = await _beds_of(uow, room_id)
            if len(beds) >= MAX_BEDS_PER_ROOM:
                raise Conflict(f"a room holds at most {MAX_BEDS_PER_ROOM} beds")
            labels = [bed.label for bed in beds]
            label = (
                next_bed_label(labels)
                if command.label is None
                else normalise_bed_label(command.label)
            )
            if label in labels:
                raise BedLabelTaken(label)
            bed = Bed(room_id=room_id, label=label, active=command.active)
            await uow.rooms.add_bed(bed)
            await uow.commit()
        return _view(bed)


class UpdateBed:
    """Relabels a bed or takes it in or out of service (`active`); an inactive bed does not
    count toward the room's capacity."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, room_id: UUID, bed_id: UUID, patch: BedPatch) -> BedView:
        async with self._uow() as uow:
            beds = await _beds_of(uow, room_id)
            bed = _bed(beds, room_id, bed_id)
            if patch.label is not UNSET:
                label = normalise_bed_label(patch.label)
                if any(other.label == label and other.id != bed.id for other in beds):
                    raise BedLabelTaken(label)
                bed.label = label
            if patch.active is not UNSET:
                bed.active = patch.active
            await uow.rooms.update_bed(bed)
            await uow.commit()
        return _view(bed)


class RemoveBed:
    """Removes a bed from a room. A bed that a booking was given (in any state: bookings are
    kept as history) is refused (409); deactivate it instead."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, room_id: UUID, bed_id: UUID) -> None:
        async with self._uow() as uow:
            _bed(await _beds_of(uow, room_id), room_id, bed_id)
            await uow.rooms.delete_bed(bed_id)
            await uow.commit()


class GetBed:
    """Reads one bed of a room; an unknown room or a bed of another room is a 404."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, room_id: UUID, bed_id: UUID) -> BedView:
        if await self._queries.room(room_id) is None:
            raise NotFound("room", room_id)
        for bed in await self._queries.beds(room_id):
            if bed.id == bed_id:
                return bed
        raise NotFound("bed", f"{bed_id} in room {room_id}")


class ListBeds:
    """Lists a room's beds ordered by label."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, room_id: UUID) -> list[BedView]:
        if await self._queries.room(room_id) is None:
            raise NotFound("room", room_id)
        return await self._queries.beds(room_id)
