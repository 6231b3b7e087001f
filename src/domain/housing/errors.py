from domain.shared.errors import Conflict


class BuildingCodeTaken(Conflict):
    def __init__(self, code: str) -> None:
        super().__init__(f"a building with code {code} already exists", field="code")


class BuildingHasRooms(Conflict):
    def __init__(self, code: str, rooms: int) -> None:
        super().__init__(f"building {code} still has {rooms} rooms; delete or move them first")


class FloorsBelowRooms(Conflict):
    def __init__(self, floors: int, highest_floor: int) -> None:
        super().__init__(
            f"cannot lower floors to {floors}: a room is on floor {highest_floor}", field="floors"
        )


class RoomNumberTaken(Conflict):
    def __init__(self, number: str) -> None:
        super().__init__(f"room {number} already exists in this building", field="number")


class BedLabelTaken(Conflict):
    def __init__(self, label: str) -> None:
        super().__init__(f"bed {label} already exists in this room", field="label")


class StudentIdTaken(Conflict):
    def __init__(self, student_id: str) -> None:
        super().__init__(
            f"a resident with student id {student_id} already exists", field="student_id"
        )


class EmailTaken(Conflict):
    def __init__(self, email: str) -> None:
        super().__init__(f"a resident with email {email} already exists", field="email")


class TermNameTaken(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(f"a term named {name!r} already exists", field="name")


# What the office does instead of deleting a record that bookings name: the record stays, out
# of use, and the bookings keep their history.
_INSTEAD = {
    "resident": "set the resident's status to former instead",
    "bed": "take the bed out of service (active=false) instead",
    "room": "close the room (status=closed) instead",
}


class HasBookings(Conflict):
    """A resident, bed or room that bookings name cannot be deleted: active ones would lose
    their resident or bed, finished ones their history (and the database refuses it)."""

    def __init__(self, record: str, active: int, total: int) -> None:
        if active:
            message = (
                f"the {record} has {active} active bookings (held, confirmed or checked in); "
                "cancel, move or check them out first"
            )
        else:
            message = f"the {record} has {total} bookings on record; {_INSTEAD[record]}"
        super().__init__(message, field="bookings")
        self.record = record
        self.active = active
        self.total = total
