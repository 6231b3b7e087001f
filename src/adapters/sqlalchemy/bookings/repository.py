"""Bookings as rows. The no-overlap rule is the database's (migration 0005); a violation
surfaces from the unit of work as a Conflict (adapters.sqlalchemy.uow)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.sqlalchemy import tables
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationOutbox
from adapters.sqlalchemy.payments.repository import SqlAlchemyPaymentRepository
from adapters.sqlalchemy.repository import TableRepository
from adapters.sqlalchemy.uow import SqlAlchemyUnitOfWork
from domain.bookings.model import BedPreferences, Booking, BookingState
from domain.housing.model import RoomType
from domain.shared.dates import DateRange


def booking_values(booking: Booking) -> dict[str, Any]:
    preferences = booking.preferences
    return {
        "id": booking.id,
        "resident_id": booking.resident_id,
        "bed_id": booking.bed_id,
        "state": booking.state.value,
        "starts_on": booking.stay.start,
        "ends_on": booking.stay.end,
        "term_id": booking.term_id,
        "requested_bed_id": booking.requested_bed_id,
        "requested_room_id": booking.requested_room_id,
        "preferred_building_id": preferences.building_id,
        "preferred_room_type": preferences.room_type,
        "preferred_accessible": preferences.accessible,
        "hold_expires_at": booking.hold_expires_at,
        "waitlisted_at": booking.waitlisted_at,
        "checked_in_on": booking.checked_in_on,
        "checked_out_on": booking.checked_out_on,
        "reason": booking.reason,
        "requested_at": booking.requested_at,
        "job_id": booking.job_id,
    }


def booking_from(row: Row[Any]) -> Booking:
    return Booking(
        id=row.id,
        resident_id=row.resident_id,
        bed_id=row.bed_id,
        state=BookingState(row.state),
        stay=DateRange(row.starts_on, row.ends_on),
        term_id=row.term_id,
        requested_bed_id=row.requested_bed_id,
        requested_room_id=row.requested_room_id,
        preferences=BedPreferences(
            building_id=row.preferred_building_id,
            room_type=None
            if row.preferred_room_type is None
            else RoomType(row.preferred_room_type),
            accessible=row.preferred_accessible,
        ),
        hold_expires_at=row.hold_expires_at,
        waitlisted_at=row.waitlisted_at,
        checked_in_on=row.checked_in_on,
        checked_out_on=row.checked_out_on,
        reason=row.reason,
        requested_at=row.requested_at,
        job_id=row.job_id,
        updated_at=row.updated_at,
    )


class SqlAlchemyBookingRepository(TableRepository[Booking]):
    table = tables.bookings
    to_values = booking_values
    from_row = booking_from

    async def update_from(self, booking: Booking, expected: BookingState) -> bool:
        values = booking_values(booking)
        del values["id"]
        result = await self._connection.execute(
            update(self.table)
            .where(self.table.c.id == booking.id, self.table.c.state == expected.value)
            .values(values)
        )
        return bool(result.rowcount)

    async def expired_holds(self, now: datetime, limit: int) -> list[Booking]:
        table = self.table
        query = (
            select(table)
            .where(table.c.state == BookingState.HELD.value, table.c.hold_expires_at <= now)
            .order_by(table.c.hold_expires_at, table.c.id)
            .limit(limit)
        )
        return [booking_from(row) for row in await self._connection.execute(query)]

    async def requested_before(self, cutoff: datetime, limit: int) -> list[UUID]:
        table = self.table
        query = (
            select(table.c.id)
            .where(table.c.state == BookingState.REQUESTED.value, table.c.requested_at < cutoff)
            .order_by(table.c.requested_at, table.c.id)
            .limit(limit)
        )
        return list((await self._connection.execute(query)).scalars())

    async def waitlisted_during(self, stay: DateRange, limit: int) -> list[Booking]:
        table = self.table
        query = (
            select(table)
            .where(
                table.c.state == BookingState.WAITLISTED.value,
                table.c.starts_on < stay.end,
                table.c.ends_on > stay.start,
            )
            .order_by(table.c.waitlisted_at, table.c.id)
            .limit(limit)
        )
        return [booking_from(row) for row in await self._connection.execute(query)]


class SqlAlchemyBookingsUnitOfWork(SqlAlchemyUnitOfWork):
    bookings: SqlAlchemyBookingRepository
    outbox: SqlAlchemyNotificationOutbox
    payments: SqlAlchemyPaymentRepository

    def _bind(self, connection: AsyncConnection) -> None:
        self.bookings = SqlAlchemyBookingRepository(connection)
        self.outbox = SqlAlchemyNotificationOutbox(connection)
        self.payments = SqlAlchemyPaymentRepository(connection)
