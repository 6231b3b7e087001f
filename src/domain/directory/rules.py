"""The pure rules of the directory sync: reading one entry, and reconciling residents with
the whole directory. Residents are matched by student_id; nothing is ever deleted."""

from collections.abc import Iterable, Mapping
from uuid import UUID

from domain.directory.model import (
    DirectoryEntry,
    FieldValue,
    KnownResident,
    ResidentUpdate,
    SyncPlan,
)
from domain.housing.model import DIRECTORY_FIELDS
from domain.housing.rules import (
    check_year_of_study,
    normalise_email,
    normalise_phone,
    normalise_student_id,
    optional_text,
    required_text,
)
from domain.shared.errors import InvalidValue


def _text(raw: Mapping[str, object], name: str) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidValue(name, "must be text")
    return str(value)


def _year(raw: Mapping[str, object]) -> int | None:
    text = _text(raw, "year_of_study")
    if text is None or not text.strip():
        return None
    if not text.strip().isdigit():
        raise InvalidValue("year_of_study", f"{text!r} is not a whole number")
    return check_year_of_study(int(text))


def parse_entry(raw: Mapping[str, object]) -> DirectoryEntry:
    """One record of a feed (a CSV row, a JSON object) by the same rules as registration.
    Unknown keys are ignored: feeds carry more than the office needs."""
    phone = optional_text(_text(raw, "phone"), "phone", 32)
    return DirectoryEntry(
        student_id=normalise_student_id(_text(raw, "student_id") or ""),
        first_name=required_text(_text(raw, "first_name") or "", "first_name", 100),
        last_name=required_text(_text(raw, "last_name") or "", "last_name", 100),
        email=normalise_email(_text(raw, "email") or ""),
        phone=None if phone is None else normalise_phone(phone),
        department=optional_text(_text(raw, "department"), "department", 100),
        year_of_study=_year(raw),
    )


def _changes(
    resident: KnownResident, entry: DirectoryEntry
) -> dict[str, tuple[FieldValue, FieldValue]]:
    wanted = entry.values()
    return {
        name: (resident.values.get(name), wanted[name])
        for name in DIRECTORY_FIELDS
        if name not in resident.locked_fields and resident.values.get(name) != wanted[name]
    }


def _email_owner(known: Iterable[KnownResident]) -> dict[object, str]:
    return {resident.values.get("email"): resident.student_id for resident in known}


def reconcile(
    entries: Iterable[DirectoryEntry],
    known: Iterable[KnownResident],
    run_id: UUID,
    absence_runs: int,
) -> SyncPlan:
    """The plan that brings `known` residents in line with the directory `entries`.

    - an entry whose student_id no resident has is created; a later entry with the same
      student_id replaces an earlier one;
    - a resident's directory fields take the entry's values, except the fields locked on them;
    - an entry whose email another student's resident record uses is refused, not applied;
    - a resident absent from the entries has missed one more run (counted once per `run_id`,
      so a run applied twice counts once); at `absence_runs` in a row they become former;
    - a resident who is present again starts counting from zero. Nobody is ever deleted."""
    by_student = {entry.student_id: entry for entry in entries}
    residents = list(known)
    emails = _email_owner(residents)
    plan = SyncPlan()
    for resident in residents:
        entry = by_student.pop(resident.student_id, None)
        if entry is None:
            _absent(plan, resident, run_id, absence_runs)
            continue
        if resident.missed_runs:
            plan.returned.append(resident.id)
        changes = _changes(resident, entry)
        owner = emails.get(changes["email"][1]) if "email" in changes else None
        if owner is not None and owner != resident.student_id:
            plan.refused.append((entry.student_id, f"email {entry.email} is used by {owner}"))
        elif changes:
            plan.updates.append(ResidentUpdate(resident.id, resident.student_id, changes))
        else:
            plan.unchanged += 1
    for entry in by_student.values():
        owner = emails.get(entry.email)
        if owner is not None:
            plan.refused.append((entry.student_id, f"email {entry.email} is used by {owner}"))
        else:
            emails[entry.email] = entry.student_id
            plan.creates.append(entry)
    return plan


def _absent(plan: SyncPlan, resident: KnownResident, run_id: UUID, absence_runs: int) -> None:
    if resident.former:
        return
    missed = resident.missed_runs + (0 if resident.last_missed_run == run_id else 1)
    plan.absences[resident.id] = missed
    if missed >= absence_runs:
        plan.deactivations.append(resident.id)
