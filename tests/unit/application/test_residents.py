"""Residents: RegisterResident, UpdateResident, DeleteResident, GetResident, ListResidents."""

from datetime import date, timedelta
from uuid import uuid4

import pytest
from msgspec import UNSET

from application.housing.commands import EmergencyContactInput, ResidentPatch
from application.housing.views import ResidentFilter
from application.shared.paging import PageRequest
from domain.housing.errors import EmailTaken, StudentIdTaken
from domain.housing.model import Gender, ResidentStatus
from domain.shared.errors import Conflict, InvalidValue, NotFound
from tests.unit.application.kit import Housing

# FixedClock starts on 2026-09-01.
TODAY = date(2026, 9, 1)


async def test_register_normalises_and_reads_back(housing: Housing) -> None:
    resident = await housing.resident(
        student_id=" 00412345 ",
        first_name=" Ada ",
        email="  Ada.Okafor@Example.EDU ",
        phone="0044 (7700) 900-456",
        date_of_birth=date(2005, 4, 17),
        department="  Physics ",
        year_of_study=2,
        gender=Gender.FEMALE,
        accessibility_notes="   ",
        emergency_contact=EmergencyContactInput(
            name="Maria  Okafor", phone="+44 7700 900123", relationship=" mother "
        ),
    )

    assert resident.student_id == "00412345"
    assert resident.first_name == "Ada"
    assert resident.email == "ada.okafor@example.edu"
    assert resident.phone == "+447700900456"
    assert (resident.department, resident.year_of_study) == ("Physics", 2)
    assert resident.accessibility_notes is None
    assert resident.status is ResidentStatus.APPLICANT
    assert resident.emergency_contact is not None
    assert (
        resident.emergency_contact.name,
        resident.emergency_contact.phone,
        resident.emergency_contact.relationship,
    ) == ("Maria Okafor", "+447700900123", "mother")
    assert await housing.get_resident(resident.id) == resident


async def test_student_ids_with_and_without_leading_zeros_are_different(
    housing: Housing,
) -> None:
    padded = await housing.resident(student_id="00123", email="a@example.edu")
    plain = await housing.resident(student_id="123", email="b@example.edu")

    assert (padded.student_id, plain.student_id) == ("00123", "123")


async def test_student_id_is_unique(housing: Housing) -> None:
    await housing.resident(student_id="00412345")

    with pytest.raises(StudentIdTaken) as raised:
        await housing.resident(student_id=" 00412345", email="someone.else@example.edu")

    assert isinstance(raised.value, Conflict)
    assert raised.value.field == "student_id"
    assert housing.counts()["residents"] == 1


async def test_email_is_unique_whatever_its_case(housing: Housing) -> None:
    await housing.resident(email="ada.okafor@example.edu")

    with pytest.raises(EmailTaken) as raised:
        await housing.resident(student_id="999", email="ADA.Okafor@Example.edu")

    assert raised.value.field == "email"
    assert housing.counts()["residents"] == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "ada.okafor"),
        ("email", "ada okafor@example.edu"),
        ("phone", "+44 7700 CALLME"),
        ("phone", "12345"),
        ("student_id", "00 123"),
        ("first_name", "   "),
        ("year_of_study", 0),
        ("year_of_study", 11),
    ],
)
async def test_register_names_the_bad_field(housing: Housing, field: str, value: object) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.resident(**{field: value})

    assert raised.value.field == field
    assert housing.counts()["residents"] == 0


async def test_emergency_contact_phone_is_checked_by_its_own_name(housing: Housing) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.resident(
            emergency_contact=EmergencyContactInput(name="Maria Okafor", phone="call me")
        )

    assert raised.value.field == "emergency_contact.phone"


@pytest.mark.parametrize("born", [TODAY, TODAY + timedelta(days=1), date(2030, 1, 1)])
async def test_date_of_birth_must_be_in_the_past(housing: Housing, born: date) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.resident(date_of_birth=born)

    assert raised.value.field == "date_of_birth"


async def test_date_of_birth_is_judged_by_the_clock(housing: Housing) -> None:
    born = TODAY + timedelta(days=10)
    with pytest.raises(InvalidValue):
        await housing.resident(date_of_birth=born)

    housing.clock.advance(timedelta(days=11))

    assert (await housing.resident(date_of_birth=born)).date_of_birth == born


async def test_date_of_birth_more_than_120_years_ago_is_refused(housing: Housing) -> None:
    with pytest.raises(InvalidValue) as raised:
        await housing.resident(date_of_birth=date(1906, 8, 31))

    assert raised.value.field == "date_of_birth"
    assert (await housing.resident(date_of_birth=date(1906, 9, 1))).date_of_birth == date(
        1906, 9, 1
    )


async def test_update_changes_only_the_given_fields(housing: Housing) -> None:
    resident = await housing.resident(phone="+447700900456", department="Physics")

    updated = await housing.update_resident(
        resident.id, ResidentPatch(status=ResidentStatus.ACTIVE, email=" ADA@Example.EDU ")
    )

    assert (updated.status, updated.email) == (ResidentStatus.ACTIVE, "ada@example.edu")
    kept = ["student_id", "first_name", "last_name", "phone", "department", "gender"]
    assert [getattr(updated, f) for f in kept] == [getattr(resident, f) for f in kept]


async def test_update_with_null_clears_optional_fields(housing: Housing) -> None:
    resident = await housing.resident(
        phone="+447700900456",
        date_of_birth=date(2005, 4, 17),
        department="Physics",
        year_of_study=2,
        accessibility_notes="ground floor",
        emergency_contact=EmergencyContactInput(name="Maria Okafor", phone="+447700900123"),
    )

    updated = await housing.update_resident(
        resident.id,
        ResidentPatch(
            phone=None,
            date_of_birth=None,
            department=None,
            year_of_study=None,
            accessibility_notes=None,
            emergency_contact=None,
        ),
    )

    assert [
        updated.phone,
        updated.date_of_birth,
        updated.department,
        updated.year_of_study,
        updated.accessibility_notes,
        updated.emergency_contact,
    ] == [None] * 6
    assert (updated.email, updated.student_id) == (resident.email, resident.student_id)


async def test_update_normalises_like_registration(housing: Housing) -> None:
    resident = await housing.resident()

    updated = await housing.update_resident(
        resident.id,
        ResidentPatch(
            student_id=" 007 ",
            phone="00 49 151 1234 5678",
            last_name="  Okafor-Adeyemi ",
            emergency_contact=EmergencyContactInput(name="Maria", phone="0044 7700 900123"),
        ),
    )

    assert (updated.student_id, updated.phone, updated.last_name) == (
        "007",
        "+4915112345678",
        "Okafor-Adeyemi",
    )
    assert updated.emergency_contact is not None
    assert updated.emergency_contact.phone == "+447700900123"


async def test_update_refuses_another_residents_email_or_student_id(housing: Housing) -> None:
    await housing.resident(student_id="001", email="ada@example.edu")
    other = await housing.resident(student_id="002", email="ben@example.edu")

    with pytest.raises(EmailTaken):
        await housing.update_resident(
            other.id, ResidentPatch(email="Ada@Example.edu", first_name="Benedict")
        )
    with pytest.raises(StudentIdTaken):
        await housing.update_resident(other.id, ResidentPatch(student_id="001"))

    assert await housing.get_resident(other.id) == other


async def test_update_keeps_the_residents_own_email_and_student_id(housing: Housing) -> None:
    resident = await housing.resident(student_id="001", email="ada@example.edu")

    updated = await housing.update_resident(
        resident.id, ResidentPatch(student_id="001", email="ADA@example.edu")
    )

    assert (updated.student_id, updated.email) == ("001", "ada@example.edu")


async def test_a_refused_update_changes_nothing(housing: Housing) -> None:
    resident = await housing.resident()

    with pytest.raises(InvalidValue) as raised:
        await housing.update_resident(
            resident.id,
            ResidentPatch(first_name="Changed", department=None, date_of_birth=date(2099, 1, 1)),
        )

    assert raised.value.field == "date_of_birth"
    assert await housing.get_resident(resident.id) == resident


async def test_update_of_an_unknown_resident_is_not_found(housing: Housing) -> None:
    with pytest.raises(NotFound):
        await housing.update_resident(uuid4(), ResidentPatch(first_name="Nobody"))


async def test_delete_removes_the_resident_and_frees_the_email(housing: Housing) -> None:
    resident = await housing.resident()

    await housing.delete_resident(resident.id)

    with pytest.raises(NotFound):
        await housing.get_resident(resident.id)
    with pytest.raises(NotFound):
        await housing.delete_resident(resident.id)
    assert (await housing.resident()).email == resident.email


async def test_list_orders_by_name_and_combines_filters(housing: Housing) -> None:
    await housing.resident(
        student_id="3",
        first_name="Ben",
        last_name="Zulu",
        email="ben@example.edu",
        department="Physics",
        status=ResidentStatus.ACTIVE,
    )
    await housing.resident(
        student_id="1",
        first_name="Ada",
        last_name="Okafor",
        email="ada@example.edu",
        department="physics",
    )
    await housing.resident(
        student_id="2",
        first_name="Cleo",
        last_name="Adams",
        email="cleo@example.edu",
        department="History",
        status=ResidentStatus.ACTIVE,
    )

    everyone = await housing.list_residents(ResidentFilter(), PageRequest())
    physics = await housing.list_residents(ResidentFilter(department="PHYSICS"), PageRequest())
    active_physics = await housing.list_residents(
        ResidentFilter(department="Physics", status=ResidentStatus.ACTIVE), PageRequest()
    )
    searched = await housing.list_residents(ResidentFilter(q=" ADA OKA "), PageRequest())
    by_email = await housing.list_residents(ResidentFilter(q="CLEO@"), PageRequest())

    assert [r.last_name for r in everyone.items] == ["Adams", "Okafor", "Zulu"]
    assert [r.last_name for r in physics.items] == ["Okafor", "Zulu"]
    assert [r.last_name for r in active_physics.items] == ["Zulu"]
    assert [r.last_name for r in searched.items] == ["Okafor"]
    assert [r.last_name for r in by_email.items] == ["Adams"]


def test_patch_leaves_unset_fields_unset() -> None:
    patch = ResidentPatch(phone=None)

    assert patch.phone is None
    assert patch.email is UNSET
