"""Query-string filters shared by more than one listing route."""

from litestar.params import FromQuery

from application.housing.views import RoomFilter
from domain.housing.model import RoomStatus, RoomType


def provide_room_filter(
    floor: FromQuery[int | None] = None,
    type: FromQuery[RoomType | None] = None,
    accessible: FromQuery[bool | None] = None,
    status: FromQuery[RoomStatus | None] = None,
) -> RoomFilter:
    """The room filters every room listing takes; the building comes from the route."""
    return RoomFilter(floor=floor, type=type, accessible=accessible, status=status)
