"""Occupancy on one day, per building and room type. Pure.

Each bed counted falls in exactly one category, in this order: `occupied` (a confirmed or
checked-in booking's stay covers the day), `held` (a held booking's does), `closed` (a closure
covers the bed that day, or its room is closed), `free`. A closed bed someone still occupies
counts as occupied: somebody sleeps there. Beds out of service, and buildings out of use, are
not counted at all.

The occupancy percentage is occupied beds over the beds that could be used (all but the closed
ones), rounded half up to one decimal place; None when there are no such beds.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from domain.housing.model import RoomType

_ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class OccupancyCount:
    building_id: UUID
    building_code: str
    room_type: RoomType
    beds: int
    occupied: int
    held: int
    closed: int

    def __post_init__(self) -> None:
        if min(self.beds, self.occupied, self.held, self.closed) < 0 or self.free < 0:
            raise ValueError("the categories of beds must add up to at most the beds counted")

    @property
    def free(self) -> int:
        return self.beds - self.occupied - self.held - self.closed

    @property
    def percent(self) -> Decimal | None:
        return occupancy_percent(self.occupied, self.beds - self.closed)


def occupancy_percent(occupied: int, usable: int) -> Decimal | None:
    if usable <= 0:
        return None
    return (Decimal(100 * occupied) / Decimal(usable)).quantize(_ONE_PLACE, ROUND_HALF_UP)
