"""Read side of bookings: the facts allocation works from (free beds, residents, terms) and
the booking lists, in SQL."""

from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, Table, and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.sqlalchemy.bookings.closures import closed_during
from adapters.sqlalchemy.bookings.repository import booking_from
from adapters.sqlalchemy.notifications.audience import CONTACT_COLUMNS, contact_from
from adapters.sqlalchemy.paging import fetch_page
from adapters.sqlalchemy.tables import beds, bookings, buildings, residents, rooms, terms
from application.bookings.views import BookingFilter, BookingPage, BookingView, booking_view
from application.shared.paging import PageRequest
from domain.bookings.allocation import CandidateBed, ResidentFacts
from domain.bookings.model import ACTIVE_STATES
from domain.housing.model import Gender, GenderPolicy, ResidentStatus, RoomStatus, RoomType
from domain.notifications.announcements import ContactDetails
from domain.shared.dates import DateRange

_ACTIVE = sorted(state.value for state in ACTIVE_STATES)


def _active_during(stay: DateRange) -> ColumnElement[bool]:
    # Half-open ranges overlap when each starts before the other ends.
    return and_(
        bookings.c.state.in_(_ACTIVE),
        bookings.c.starts_on < stay.end,
        bookings.c.ends_on > stay.start,
    )


def _free_beds(stay: DateRange) -> Select[Any]:
    room_bed = beds.alias("room_bed")
    occupied = (
        select(func.count(func.distinct(bookings.c.bed_id)))
        .select_from(bookings.join(room_bed, room_bed.c.id == bookings.c.bed_id))
        .where(room_bed.c.room_id == rooms.c.id, _active_during(stay))
        .correlate(rooms)
        .scalar_subquery()
    )
    capacity = (
        select(func.count())
        .select_from(room_bed)
        .where(room_bed.c.room_id == rooms.c.id, room_bed.c.active.is_(True))
        .correlate(rooms)
        .scalar_subquery()
    )
    taken = select(bookings.c.bed_id).where(bookings.c.bed_id.is_not(None), _active_during(stay))
    return (
        select(
            beds.c.id.label("bed_id"),
            beds.c.label.label("bed_label"),
            rooms.c.id.label("room_id"),
            rooms.c.building_id,
            rooms.c.number.label("room_number"),
            rooms.c.type.label("room_type"),
            rooms.c.accessible,
            rooms.c.floor,
            buildings.c.gender_policy,
            occupied.label("occupied"),
            capacity.label("capacity"),
        )
        .join(rooms, rooms.c.id == beds.c.room_id)
        .join(buildings, buildings.c.id == rooms.c.building_id)
        .where(
            beds.c.active.is_(True),
            rooms.c.status == RoomStatus.ACTIVE.value,
            buildings.c.active.is_(True),
            beds.c.id.not_in(taken),
            ~closed_during(stay, beds.c.id, rooms.c.id, rooms.c.building_id),
        )
        .order_by(buildings.c.code, rooms.c.number, beds.c.label, beds.c.id)
    )


class SqlAlchemyAllocationQueries:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def _first(self, query: Select[Any]) -> Any:
        async with self._engine.connect() as connection:
            return (await connection.execute(query)).first()

    async def _exists(self, table: Table, entity_id: UUID) -> bool:
        return await self._first(select(table.c.id).where(table.c.id == entity_id)) is not None

    async def resident(self, resident_id: UUID) -> ResidentFacts | None:
        columns = (residents.c.status, residents.c.gender, residents.c.needs_accessible_room)
        row = await self._first(select(*columns).where(residents.c.id == resident_id))
        if row is None:
            return None
        status, gender = ResidentStatus(row.status), Gender(row.gender)
        return ResidentFacts(resident_id, status, gender, row.needs_accessible_room)

    async def contact(self, resident_id: UUID) -> ContactDetails | None:
        row = await self._first(select(*CONTACT_COLUMNS).where(residents.c.id == resident_id))
        return None if row is None else contact_from(row)

    async def term_dates(self, term_id: UUID) -> DateRange | None:
        row = await self._first(
            select(terms.c.starts_on, terms.c.ends_on).where(terms.c.id == term_id)
        )
        return None if row is None else DateRange(row.starts_on, row.ends_on)

    async def bed_exists(self, bed_id: UUID) -> bool:
        return await self._exists(beds, bed_id)

    async def room_exists(self, room_id: UUID) -> bool:
        return await self._exists(rooms, room_id)

    async def building_exists(self, building_id: UUID) -> bool:
        return await self._exists(buildings, building_id)

    async def has_active_booking(self, resident_id: UUID, stay: DateRange) -> bool:
        query = select(bookings.c.id).where(
            bookings.c.resident_id == resident_id, _active_during(stay)
        )
        return await self._first(query.limit(1)) is not None

    async def free_beds(self, stay: DateRange) -> list[CandidateBed]:
        async with self._engine.connect() as connection:
            rows = list(await connection.execute(_free_beds(stay)))
        return [
            CandidateBed(
                bed_id=row.bed_id,
                room_id=row.room_id,
                building_id=row.building_id,
                room_number=row.room_number,
                bed_label=row.bed_label,
                room_type=RoomType(row.room_type),
                accessible=row.accessible,
                building_gender_policy=GenderPolicy(row.gender_policy),
                occupied_beds_in_room=int(row.occupied),
                room_capacity=int(row.capacity),
                floor=row.floor,
            )
            for row in rows
        ]


def _filtered(criteria: BookingFilter) -> Select[Any]:
    query = select(bookings).order_by(bookings.c.requested_at.desc(), bookings.c.id)
    for column, value in (
        (bookings.c.resident_id, criteria.resident_id),
        (bookings.c.term_id, criteria.term_id),
        (bookings.c.state, None if criteria.state is None else criteria.state.value),
    ):
        if value is not None:
            query = query.where(column == value)
    if criteria.building_id is not None:
        in_building = (
            select(beds.c.id)
            .join(rooms, rooms.c.id == beds.c.room_id)
            .where(rooms.c.building_id == criteria.building_id)
        )
        query = query.where(bookings.c.bed_id.in_(in_building))
    return query


class SqlAlchemyBookingQueries:
    """Rows go through the domain's Booking on their way to the view: the one mapping the
    repository uses, so the list and the task that wrote the row cannot disagree."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def booking(self, booking_id: UUID) -> BookingView | None:
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(select(bookings).where(bookings.c.id == booking_id))
            ).first()
        return None if row is None else booking_view(booking_from(row))

    async def bookings(self, criteria: BookingFilter, page: PageRequest) -> BookingPage:
        total, rows = await fetch_page(self._engine, _filtered(criteria), page)
        items = [booking_view(booking_from(row)) for row in rows]
        return BookingPage(items=items, total=total, limit=page.limit, offset=page.offset)
