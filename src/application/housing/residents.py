"""Use cases for residents."""

from uuid import UUID

from msgspec import UNSET

from application.housing.commands import (
    EmergencyContactInput,
    RegisterResidentCommand,
    ResidentPatch,
)
from application.housing.ports import HousingQueries, HousingUnitOfWork, HousingUnitOfWorkFactory
from application.housing.views import ResidentFilter, ResidentPage, ResidentView
from application.shared.paging import PageRequest
from application.shared.ports import Clock
from domain.housing.errors import EmailTaken, StudentIdTaken
from domain.housing.model import EmergencyContact, Resident
from domain.housing.rules import (
    check_date_of_birth,
    check_year_of_study,
    normalise_email,
    normalise_phone,
    normalise_student_id,
    optional_text,
    required_text,
)
from domain.shared.errors import NotFound


async def _view(queries: HousingQueries, resident_id: UUID) -> ResidentView:
    view = await queries.resident(resident_id)
    if view is None:
        raise NotFound("resident", resident_id)
    return view


def _contact(value: EmergencyContactInput | None) -> EmergencyContact | None:
    if value is None:
        return None
    return EmergencyContact(
        name=required_text(value.name, "emergency_contact.name"),
        phone=normalise_phone(value.phone, "emergency_contact.phone"),
        relationship=optional_text(value.relationship, "emergency_contact.relationship", 50),
    )


async def _ensure_unique(uow: HousingUnitOfWork, resident: Resident) -> None:
    same_id = await uow.residents.get_by_student_id(resident.student_id)
    if same_id and same_id.id != resident.id:
        raise StudentIdTaken(resident.student_id)
    same_email = await uow.residents.get_by_email(resident.email)
    if same_email and same_email.id != resident.id:
        raise EmailTaken(resident.email)


class RegisterResident:
    """Registers a resident (by default as an `applicant`).

    - `student_id` is text: leading zeros are kept, and it is unique (409 when taken).
    - `email` is trimmed, lower-cased and unique (409 when taken).
    - phone numbers are stored in E.164 (`+4915112345678`); spaces, dashes, brackets and a 00
      prefix are accepted on input.
    - `date_of_birth` is in the past; `year_of_study` is 1 to 10.
    """

    def __init__(
        self, uow: HousingUnitOfWorkFactory, queries: HousingQueries, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    async def __call__(self, command: RegisterResidentCommand) -> ResidentView:
        resident = Resident(
            student_id=normalise_student_id(command.student_id),
            first_name=required_text(command.first_name, "first_name", 100),
            last_name=required_text(command.last_name, "last_name", 100),
            email=normalise_email(command.email),
            gender=command.gender,
            phone=None if command.phone is None else normalise_phone(command.phone),
            date_of_birth=check_date_of_birth(command.date_of_birth, self._clock.now().date()),
            department=optional_text(command.department, "department", 100),
            year_of_study=check_year_of_study(command.year_of_study),
            status=command.status,
            needs_accessible_room=command.needs_accessible_room,
            accessibility_notes=optional_text(
                command.accessibility_notes, "accessibility_notes", 500
            ),
            emergency_contact=_contact(command.emergency_contact),
            email_opt_in=command.email_opt_in,
            sms_opt_in=command.sms_opt_in,
        )
        async with self._uow() as uow:
            await _ensure_unique(uow, resident)
            await uow.residents.add(resident)
            await uow.commit()
        return await _view(self._queries, resident.id)


class UpdateResident:
    """Changes some fields of a resident; fields left out keep their value, `null` clears an
    optional one. The same rules as registration apply to every field given."""

    def __init__(
        self, uow: HousingUnitOfWorkFactory, queries: HousingQueries, clock: Clock
    ) -> None:
        self._uow = uow
        self._queries = queries
        self._clock = clock

    async def __call__(self, resident_id: UUID, patch: ResidentPatch) -> ResidentView:
        async with self._uow() as uow:
            resident = await uow.residents.get(resident_id)
            if resident is None:
                raise NotFound("resident", resident_id)
            self._apply(resident, patch)
            await _ensure_unique(uow, resident)
            await uow.residents.update(resident)
            await uow.commit()
        return await _view(self._queries, resident_id)

    def _apply(self, resident: Resident, patch: ResidentPatch) -> None:
        if patch.student_id is not UNSET:
            resident.student_id = normalise_student_id(patch.student_id)
        if patch.first_name is not UNSET:
            resident.first_name = required_text(patch.first_name, "first_name", 100)
        if patch.last_name is not UNSET:
            resident.last_name = required_text(patch.last_name, "last_name", 100)
        if patch.email is not UNSET:
            resident.email = normalise_email(patch.email)
        if patch.gender is not UNSET:
            resident.gender = patch.gender
        if patch.phone is not UNSET:
            resident.phone = None if patch.phone is None else normalise_phone(patch.phone)
        if patch.date_of_birth is not UNSET:
            resident.date_of_birth = check_date_of_birth(
                patch.date_of_birth, self._clock.now().date()
            )
        if patch.department is not UNSET:
            resident.department = optional_text(patch.department, "department", 100)
        if patch.year_of_study is not UNSET:
            resident.year_of_study = check_year_of_study(patch.year_of_study)
        if patch.status is not UNSET:
            resident.status = patch.status
        if patch.needs_accessible_room is not UNSET:
            resident.needs_accessible_room = patch.needs_accessible_room
        if patch.accessibility_notes is not UNSET:
            resident.accessibility_notes = optional_text(
                patch.accessibility_notes, "accessibility_notes", 500
            )
        if patch.emergency_contact is not UNSET:
            resident.emergency_contact = _contact(patch.emergency_contact)
        if patch.email_opt_in is not UNSET:
            resident.email_opt_in = patch.email_opt_in
        if patch.sms_opt_in is not UNSET:
            resident.sms_opt_in = patch.sms_opt_in


class DeleteResident:
    """Removes a resident's record. A resident that any booking names (in any state: bookings
    are kept as history) is refused (409)."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, resident_id: UUID) -> None:
        async with self._uow() as uow:
            if await uow.residents.get(resident_id) is None:
                raise NotFound("resident", resident_id)
            await uow.residents.delete(resident_id)
            await uow.commit()


class GetResident:
    """Reads one resident."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, resident_id: UUID) -> ResidentView:
        return await _view(self._queries, resident_id)


class ListResidents:
    """Lists residents ordered by last name, first name, then student id.

    Filters combine: `status`, `department` (exact, any case), and `q`, a case-insensitive
    search in the full name, the student id and the email.
    """

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: ResidentFilter, page: PageRequest) -> ResidentPage:
        return await self._queries.residents(criteria, page)
