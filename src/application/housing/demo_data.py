"""The demo campus as commands: three halls, their rooms and a year's worth of residents.

Everything is drawn from one seeded `random.Random`, so the same seed gives the same campus."""

import random
import unicodedata
from datetime import date
from decimal import Decimal

from application.housing.commands import (
    CreateBuildingCommand,
    CreateRoomCommand,
    CreateTermCommand,
    EmergencyContactInput,
    MoneyInput,
    RegisterResidentCommand,
)
from application.housing.views import BuildingView
from domain.housing.model import Gender, GenderPolicy, ResidentStatus, RoomStatus, RoomType

CURRENCY = "EUR"
ROOMS_PER_FLOOR = 10
EMAIL_DOMAIN = "students.example.edu"

BUILDINGS = (
    CreateBuildingCommand(
        code="NH",
        name="North Hall",
        address="1 College Road",
        floors=6,
        gender_policy=GenderPolicy.MIXED,
        amenities=["laundry", "study rooms", "bike storage", "shared kitchens", "lift"],
    ),
    CreateBuildingCommand(
        code="MH",
        name="Meridian House",
        address="14 Observatory Lane",
        floors=4,
        gender_policy=GenderPolicy.FEMALE,
        amenities=["laundry", "shared kitchens", "garden", "music practice room"],
    ),
    CreateBuildingCommand(
        code="RC",
        name="Riverside Court",
        address="2 Towpath Walk",
        floors=5,
        gender_policy=GenderPolicy.GENDER_INCLUSIVE,
        amenities=["laundry", "gym", "lift", "roof terrace", "parcel lockers"],
    ),
)

TERMS = (
    CreateTermCommand(name="Autumn 2026", starts_on=date(2026, 9, 21), ends_on=date(2026, 12, 19)),
    CreateTermCommand(name="Spring 2027", starts_on=date(2027, 1, 18), ends_on=date(2027, 5, 15)),
)

# Per bed and night; a bed in a shared room is cheaper than a room of one's own.
_RATE_RANGE = {
    RoomType.SINGLE: (32, 38),
    RoomType.DOUBLE: (24, 29),
    RoomType.TRIPLE: (19, 23),
    RoomType.QUAD: (16, 20),
    RoomType.STUDIO: (44, 52),
    RoomType.SUITE: (27, 33),
}
_TYPE_WEIGHTS = {
    RoomType.SINGLE: 34,
    RoomType.DOUBLE: 32,
    RoomType.TRIPLE: 8,
    RoomType.QUAD: 5,
    RoomType.STUDIO: 12,
    RoomType.SUITE: 9,
}
_BASE_FEATURES = ("desk", "wardrobe")
_OPTIONAL_FEATURES = ("sink", "balcony", "river view", "bay window", "blackout blinds")
_ACCESSIBLE_FEATURES = ("step-free access", "roll-in shower", "grab rails", "lowered desk")

_FEMALE_NAMES = (
    "Ada", "Amara", "Aisha", "Chiara", "Emma", "Freya", "Hana", "Ines", "Ingrid", "Isla", "Leila",
    "Lucia", "Maja", "Mei", "Nadia", "Niamh", "Olga", "Priya", "Rosa", "Saoirse", "Sofia", "Yara",
    "Zainab", "Zoë", "Anaïs", "Ji-woo", "Thandiwe", "Camila", "Elif", "Kateřina",
)  # fmt: skip
_MALE_NAMES = (
    "Aarav", "Ahmed", "Björn", "Carlos", "Chidi", "Daniel", "Dmitri", "Eoin", "Felix", "Hiroshi",
    "Ivan", "Jakub", "Kwame", "Liam", "Luca", "Mateo", "Mohammed", "Nikolai", "Omar", "Pedro",
    "Rafael", "Sebastián", "Tariq", "Thomas", "Wei", "Yusuf", "Arjun", "Mikkel", "Tomasz", "Ruairí",
)  # fmt: skip
_NEUTRAL_NAMES = ("Alex", "Sam", "Robin", "Kai", "Noa", "Jordan", "Eden", "Sasha", "Riley", "Ari")
_LAST_NAMES = (
    "Okafor", "Nguyen", "García", "Müller", "O'Brien", "Kowalski", "Rossi", "Haddad", "Tanaka",
    "Singh", "Andersson", "Dubois", "Papadopoulos", "Mensah", "Kim", "Ivanova", "Fernández",
    "Jansen", "Murphy", "Novak", "Yilmaz", "Silva", "Chen", "Nkosi", "Kaur", "Schmidt", "Lindqvist",
    "Costa", "Mahmoud", "Walsh", "Bianchi", "Horvath", "Adeyemi", "Sato", "Ní Bhriain", "Patel",
    "Van der Berg", "Larsen", "Moreau", "Kovač", "Ahmadi", "Byrne", "Eriksen", "Santos", "Zhou",
)  # fmt: skip
_DEPARTMENTS = (
    "Physics", "Computer Science", "Mathematics", "History", "Economics", "Law", "Medicine",
    "Nursing", "Architecture", "Music", "Chemistry", "Biology", "English Literature",
    "Psychology", "Mechanical Engineering", "Civil Engineering", "Philosophy", "Fine Art",
)  # fmt: skip
_ACCESSIBILITY_NOTES = (
    "Wheelchair user: needs step-free access and a roll-in shower.",
    "Visual impairment: prefers a room near the lift and stairs with contrast edging.",
    "Uses crutches long-term: ground floor or lift access.",
    "Hearing impairment: needs a visual fire alarm.",
)
_RELATIONSHIPS = ("mother", "father", "guardian", "sister", "brother", "partner", "aunt")


def _rate(rng: random.Random, room_type: RoomType) -> MoneyInput:
    low, high = _RATE_RANGE[room_type]
    quarters = rng.randint(low * 4, high * 4)  # whole quarter-euros, like a real tariff
    return MoneyInput(amount=Decimal(quarters) / 4, currency=CURRENCY)


def _features(rng: random.Random, room_type: RoomType, accessible: bool) -> list[str]:
    features = list(_BASE_FEATURES)
    if room_type in (RoomType.STUDIO, RoomType.SUITE):
        features += ["en-suite bathroom", "kitchenette"]
    features += rng.sample(_OPTIONAL_FEATURES, k=rng.randint(0, 2))
    if accessible:
        features += _ACCESSIBLE_FEATURES
    return features


def room_commands(rng: random.Random, building: BuildingView) -> list[CreateRoomCommand]:
    """Ten rooms a floor, numbered 101..110 on the first floor; accessible rooms sit on the
    ground floor or, where there is a lift, anywhere; a few rooms are closed for refurbishment."""
    has_lift = "lift" in building.amenities
    types, weights = list(_TYPE_WEIGHTS), list(_TYPE_WEIGHTS.values())
    commands = []
    for floor in range(1, building.floors + 1):
        for position in range(1, ROOMS_PER_FLOOR + 1):
            room_type = rng.choices(types, weights)[0]
            accessible = (floor == 1 and position <= 2) or (has_lift and rng.random() < 0.04)
            closed = rng.random() < 0.05
            commands.append(
                CreateRoomCommand(
                    building_id=building.id,
                    number=f"{floor}{position:02d}",
                    floor=floor,
                    type=room_type,
                    nightly_rate=_rate(rng, room_type),
                    accessible=accessible,
                    features=_features(rng, room_type, accessible),
                    status=RoomStatus.CLOSED if closed else RoomStatus.ACTIVE,
                )
            )
    return commands


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _phone(rng: random.Random) -> str:
    """Written the way people type them; RegisterResident stores E.164."""
    return rng.choice(
        (
            f"+44 7700 900{rng.randint(0, 999):03d}",
            f"+49 151 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
            f"+353 87 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            f"+1 (212) 555-01{rng.randint(0, 99):02d}",
            f"+39 347 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        )
    )


def _person(rng: random.Random) -> tuple[str, Gender]:
    draw = rng.random()
    if draw < 0.47:
        return rng.choice(_FEMALE_NAMES), Gender.FEMALE
    if draw < 0.92:
        return rng.choice(_MALE_NAMES), Gender.MALE
    return rng.choice(_NEUTRAL_NAMES), rng.choice((Gender.NON_BINARY, Gender.UNDISCLOSED))


def _unique_email(first_name: str, last_name: str, taken: set[str]) -> str:
    local = f"{_ascii(first_name)}.{_ascii(last_name)}"
    email, suffix = f"{local}@{EMAIL_DOMAIN}", 1
    while email in taken:
        suffix += 1
        email = f"{local}{suffix}@{EMAIL_DOMAIN}"
    taken.add(email)
    return email


def _emergency_contact(rng: random.Random, last_name: str) -> EmergencyContactInput | None:
    if rng.random() < 0.1:  # some residents never name one
        return None
    return EmergencyContactInput(
        name=f"{rng.choice(_FEMALE_NAMES + _MALE_NAMES)} {last_name}",
        phone=_phone(rng),
        relationship=rng.choice(_RELATIONSHIPS),
    )


def _resident(rng: random.Random, number: int, emails: set[str]) -> RegisterResidentCommand:
    first_name, gender = _person(rng)
    last_name = rng.choice(_LAST_NAMES)
    year = rng.choices((1, 2, 3, 4, 5), (34, 26, 20, 14, 6))[0]
    needs_access = rng.random() < 0.03
    return RegisterResidentCommand(
        student_id=f"{number:08d}",
        first_name=first_name,
        last_name=last_name,
        email=_unique_email(first_name, last_name, emails),
        gender=gender,
        phone=_phone(rng),
        date_of_birth=date(2008 - year - rng.randint(0, 2), rng.randint(1, 12), rng.randint(1, 28)),
        department=rng.choice(_DEPARTMENTS),
        year_of_study=year,
        status=rng.choices(
            (ResidentStatus.ACTIVE, ResidentStatus.APPLICANT, ResidentStatus.FORMER), (70, 22, 8)
        )[0],
        needs_accessible_room=needs_access,
        accessibility_notes=rng.choice(_ACCESSIBILITY_NOTES) if needs_access else None,
        emergency_contact=_emergency_contact(rng, last_name),
    )


def resident_commands(rng: random.Random, count: int) -> list[RegisterResidentCommand]:
    """`count` residents with unique eight-digit student ids that start with zeros (the
    registry's format, which is why ids are text) and unique emails."""
    emails: set[str] = set()
    return [
        _resident(rng, number, emails) for number in rng.sample(range(10_000, 1_000_000), count)
    ]
