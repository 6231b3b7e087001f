"""Rows to domain objects and back. The read side maps rows to views in queries.py."""

from typing import Any

from sqlalchemy import Row

from domain.housing.model import (
    Bed,
    Building,
    EmergencyContact,
    Gender,
    GenderPolicy,
    Resident,
    ResidentStatus,
    Room,
    RoomStatus,
    RoomType,
    Term,
)
from domain.shared.dates import DateRange
from domain.shared.money import Money


def building_values(building: Building) -> dict[str, Any]:
    return {
        "id": building.id,
        "code": building.code,
        "name": building.name,
        "address": building.address,
        "floors": building.floors,
        "gender_policy": building.gender_policy.value,
        "amenities": building.amenities,
        "active": building.active,
    }


def building_from(row: Row[Any]) -> Building:
    return Building(
        id=row.id,
        code=row.code,
        name=row.name,
        address=row.address,
        floors=row.floors,
        gender_policy=GenderPolicy(row.gender_policy),
        amenities=list(row.amenities),
        active=row.active,
    )


def room_values(room: Room) -> dict[str, Any]:
    return {
        "id": room.id,
        "building_id": room.building_id,
        "number": room.number,
        "floor": room.floor,
        "type": room.type.value,
        "accessible": room.accessible,
        "features": room.features,
        "status": room.status.value,
        "nightly_rate_cents": room.nightly_rate.cents,
        "currency": room.nightly_rate.currency,
    }


def room_from(row: Row[Any]) -> Room:
    return Room(
        id=row.id,
        building_id=row.building_id,
        number=row.number,
        floor=row.floor,
        type=RoomType(row.type),
        accessible=row.accessible,
        features=list(row.features),
        status=RoomStatus(row.status),
        nightly_rate=Money.from_cents(row.nightly_rate_cents, row.currency),
    )


def bed_values(bed: Bed) -> dict[str, Any]:
    return {"id": bed.id, "room_id": bed.room_id, "label": bed.label, "active": bed.active}


def bed_from(row: Row[Any]) -> Bed:
    return Bed(id=row.id, room_id=row.room_id, label=row.label, active=row.active)


def resident_values(resident: Resident) -> dict[str, Any]:
    contact = resident.emergency_contact
    return {
        "id": resident.id,
        "student_id": resident.student_id,
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "email": resident.email,
        "phone": resident.phone,
        "gender": resident.gender.value,
        "date_of_birth": resident.date_of_birth,
        "department": resident.department,
        "year_of_study": resident.year_of_study,
        "status": resident.status.value,
        "needs_accessible_room": resident.needs_accessible_room,
        "email_opt_in": resident.email_opt_in,
        "sms_opt_in": resident.sms_opt_in,
        "locked_fields": resident.locked_fields,
        "accessibility_notes": resident.accessibility_notes,
        "emergency_contact_name": contact.name if contact else None,
        "emergency_contact_phone": contact.phone if contact else None,
        "emergency_contact_relationship": contact.relationship if contact else None,
    }


def emergency_contact_from(row: Row[Any]) -> EmergencyContact | None:
    if row.emergency_contact_name is None:
        return None
    return EmergencyContact(
        name=row.emergency_contact_name,
        phone=row.emergency_contact_phone,
        relationship=row.emergency_contact_relationship,
    )


def resident_from(row: Row[Any]) -> Resident:
    return Resident(
        id=row.id,
        student_id=row.student_id,
        first_name=row.first_name,
        last_name=row.last_name,
        email=row.email,
        phone=row.phone,
        gender=Gender(row.gender),
        date_of_birth=row.date_of_birth,
        department=row.department,
        year_of_study=row.year_of_study,
        status=ResidentStatus(row.status),
        needs_accessible_room=row.needs_accessible_room,
        email_opt_in=row.email_opt_in,
        sms_opt_in=row.sms_opt_in,
        locked_fields=list(row.locked_fields),
        accessibility_notes=row.accessibility_notes,
        emergency_contact=emergency_contact_from(row),
    )


def term_values(term: Term) -> dict[str, Any]:
    return {
        "id": term.id,
        "name": term.name,
        "starts_on": term.dates.start,
        "ends_on": term.dates.end,
    }


def term_from(row: Row[Any]) -> Term:
    return Term(id=row.id, name=row.name, dates=DateRange(row.starts_on, row.ends_on))
