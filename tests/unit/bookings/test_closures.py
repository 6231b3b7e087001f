"""Closures on the in-memory fakes: refused over active bookings unless forced, respected by
allocation and availability, lifted beds offered to the waitlist; and the occupancy report."""

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from application.bookings.commands import PlaceClosureCommand
from application.bookings.views import AvailabilityFilter, ClosureFilter
from application.shared.paging import PageRequest
from domain.bookings.closures import ClosureTarget
from domain.bookings.errors import ClosureMeetsBookings
from domain.bookings.model import BookingState
from domain.housing.model import RoomStatus
from domain.shared.errors import InvalidValue, NotFound
from tests.unit.bookings.kit import STAY, Campus


def closing(target: ClosureTarget, target_id: Any, **changes: Any) -> PlaceClosureCommand:
    values: dict[str, Any] = {
        "target": target,
        "target_id": target_id,
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2026, 10, 15),
        "reason": "water damage",
    }
    return PlaceClosureCommand(**(values | changes))


async def test_a_closure_over_active_bookings_lists_them_and_changes_nothing(
    campus: Campus,
) -> None:
    hall = campus.building()
    room = campus.room(hall, beds=2)
    ada = campus.resident("001")
    held = await campus.booked(ada)
    confirmed = await campus.confirmed(campus.resident("002", first_name="Bo"))

    with pytest.raises(ClosureMeetsBookings) as refusal:
        await campus.place_closure(None, closing(ClosureTarget.BUILDING, hall.id))

    listed = {entry["booking_id"]: entry for entry in refusal.value.affected}
    assert set(listed) == {str(held.id), str(confirmed.id)}
    entry = listed[str(held.id)]
    assert (entry["resident_id"], entry["name"], entry["state"]) == (
        str(ada.id),
        "Ada Okafor",
        "held",
    )
    assert (entry["starts_on"], entry["ends_on"]) == ("2026-09-21", "2026-12-19")
    assert listed[str(confirmed.id)]["name"] == "Bo Okafor"
    assert listed[str(held.id)]["bed_id"] in {str(bed.id) for bed in campus.beds_of(room)}
    assert campus.store.closures == {}
    assert campus.emails() == [
        ("booking_held", "001@example.edu"),
        ("booking_held", "002@example.edu"),
    ]


async def test_a_forced_closure_is_placed_and_emails_the_residents_it_meets(
    campus: Campus,
) -> None:
    room = campus.room(campus.building(), beds=2)
    booking = await campus.confirmed(campus.resident("001"))

    view = await campus.place_closure(uuid4(), closing(ClosureTarget.ROOM, room.id, force=True))

    assert (view.target, view.target_id, view.building_id) == (
        ClosureTarget.ROOM,
        room.id,
        room.building_id,
    )
    assert campus.emails()[-1] == ("closure_notice", "001@example.edu")
    notice = list(campus.notifications.rows.values())[-1]
    assert (notice.data["closed_from"], notice.data["reopens_on"]) == ("2026-10-01", "2026-10-15")
    assert campus.stored(booking.id).state is BookingState.CONFIRMED  # never cancelled
    assert campus.tasks.enqueued[-1] == ("notifications.relay", {})


async def test_a_closure_over_no_active_booking_needs_no_force(campus: Campus) -> None:
    room = campus.room(campus.building(), beds=1)
    other_dates = await campus.booked(
        campus.resident("001"), starts_on=date(2026, 10, 15), ends_on=date(2026, 11, 1)
    )

    view = await campus.place_closure(None, closing(ClosureTarget.BED, campus.beds_of(room)[0].id))

    assert other_dates.state is BookingState.HELD  # back-to-back with the closure: no night shared
    assert view.reason == "water damage"
    assert len(campus.emails()) == 1


async def test_closed_beds_are_neither_free_nor_allocated(campus: Campus) -> None:
    hall = campus.building()
    closed_room = campus.room(hall, "101", beds=2)
    open_room = campus.room(hall, "102", beds=1)
    await campus.place_closure(None, closing(ClosureTarget.ROOM, closed_room.id))
    october = {"starts_on": date(2026, 10, 10), "ends_on": date(2026, 10, 20)}

    free = await campus.availability(AvailabilityFilter(**october))
    first = await campus.booked(campus.resident("001"), **october)
    second = await campus.booked(campus.resident("002"), **october)
    after = await campus.availability(
        AvailabilityFilter(starts_on=date(2026, 10, 15), ends_on=date(2026, 10, 20))
    )

    assert [bed.room_id for bed in free.beds] == [open_room.id]
    assert first.bed_id == campus.beds_of(open_room)[0].id
    assert second.state is BookingState.WAITLISTED
    assert after.free == 2  # the closure ends on the 15th: room 101 is open again


async def test_lifting_a_closure_offers_its_beds_for_its_dates(campus: Campus) -> None:
    room = campus.room(campus.building(), beds=2)
    placed = await campus.place_closure(None, closing(ClosureTarget.ROOM, room.id))

    await campus.lift_closure(placed.id)

    bed_ids = sorted(str(bed.id) for bed in campus.beds_of(room))
    task, arguments = campus.tasks.enqueued[-1]
    assert (task, sorted(arguments["bed_ids"])) == ("bookings.offer_beds", bed_ids)  # type: ignore[arg-type]
    assert (arguments["starts_on"], arguments["ends_on"]) == ("2026-10-01", "2026-10-15")
    assert campus.store.closures == {}
    with pytest.raises(NotFound):
        await campus.lift_closure(placed.id)


async def test_a_closure_names_an_existing_target_and_sane_dates(campus: Campus) -> None:
    room = campus.room(campus.building())
    cases = [
        (closing(ClosureTarget.BED, room.id), "target_id"),  # a room's id is not a bed's
        (closing(ClosureTarget.ROOM, room.id, ends_on=date(2026, 10, 1)), "ends_on"),
        (closing(ClosureTarget.ROOM, room.id, reason="  "), "reason"),
    ]
    for command, field in cases:
        with pytest.raises(InvalidValue) as refusal:
            await campus.place_closure(None, command)
        assert refusal.value.field == field


async def test_closures_list_by_building_and_day(campus: Campus) -> None:
    north, south = campus.building("NH"), campus.building("SH")
    north_room, south_room = campus.room(north), campus.room(south)
    bed_closure = await campus.place_closure(
        None, closing(ClosureTarget.BED, campus.beds_of(north_room)[0].id)
    )
    later = await campus.place_closure(
        None,
        closing(
            ClosureTarget.BUILDING, north.id, starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 2)
        ),
    )
    await campus.place_closure(None, closing(ClosureTarget.ROOM, south_room.id))

    in_north = await campus.list_closures(ClosureFilter(building_id=north.id), PageRequest())
    on_day = await campus.list_closures(ClosureFilter(active_on=date(2026, 11, 1)), PageRequest())

    assert [c.id for c in in_north.items] == [later.id, bed_closure.id]
    assert [c.id for c in on_day.items] == [later.id]
    assert bed_closure.building_id == north.id


async def test_the_occupancy_report_counts_each_bed_once(campus: Campus) -> None:
    hall = campus.building()
    campus.room(hall, "101", beds=2)
    campus.room(hall, "102", beds=2)
    closed = campus.room(hall, "103", beds=1, status=RoomStatus.CLOSED)
    await campus.confirmed(campus.resident("001"))
    await campus.confirmed(campus.resident("002"))
    await campus.booked(campus.resident("003"))

    report = await campus.occupancy(STAY["starts_on"])
    before = await campus.occupancy(date(2026, 9, 20))

    (row,) = report.rows
    assert (row.beds, row.occupied, row.held, row.closed, row.free) == (5, 2, 1, 1, 1)
    assert row.occupancy_percent == Decimal("50.0")
    assert report.total.beds == 5
    assert (before.total.occupied, before.total.closed) == (0, 1)
    assert closed.status is RoomStatus.CLOSED
