"""Triage rules: which technician gets a request, and what the work is expected to cost."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

from domain.maintenance.model import Category, Priority, TechnicianLoad
from domain.shared.money import CENT, Money


def choose_technician(candidates: Iterable[TechnicianLoad], category: Category) -> UUID | None:
    """The active technician with the skill and the fewest open assignments; ties go to the
    name, then the user id, so the same facts always choose the same person. None when no one
    qualifies: the request stays unassigned and staff are alerted."""
    qualified = [
        load for load in candidates if load.technician.active and category in load.technician.skills
    ]
    if not qualified:
        return None
    chosen = min(
        qualified,
        key=lambda load: (load.open_assignments, load.technician.name, load.technician.user_id),
    )
    return chosen.technician.user_id


# Labour hours by category for routine work; other priorities scale them: an emergency means
# working at once and in a hurry, low priority is often batched with other work.
BASE_LABOUR_HOURS: Mapping[Category, Decimal] = MappingProxyType(
    {
        Category.PLUMBING: Decimal("2"),
        Category.ELECTRICAL: Decimal("2"),
        Category.HEATING: Decimal("3"),
        Category.APPLIANCE: Decimal("1.5"),
        Category.FURNITURE: Decimal("1"),
        Category.LOCKS: Decimal("1"),
        Category.PEST: Decimal("2"),
        Category.CLEANING: Decimal("2"),
        Category.INTERNET: Decimal("1"),
        Category.OTHER: Decimal("1.5"),
    }
)
PRIORITY_FACTORS: Mapping[Priority, Decimal] = MappingProxyType(
    {
        Priority.EMERGENCY: Decimal("1.5"),
        Priority.HIGH: Decimal("1.25"),
        Priority.ROUTINE: Decimal("1"),
        Priority.LOW: Decimal("0.75"),
    }
)
# Typical parts per category, in the rate table's currency.
TYPICAL_PARTS: Mapping[Category, Decimal] = MappingProxyType(
    {
        Category.PLUMBING: Decimal("25.00"),
        Category.ELECTRICAL: Decimal("20.00"),
        Category.HEATING: Decimal("40.00"),
        Category.APPLIANCE: Decimal("35.00"),
        Category.FURNITURE: Decimal("30.00"),
        Category.LOCKS: Decimal("15.00"),
        Category.PEST: Decimal("20.00"),
        Category.CLEANING: Decimal("5.00"),
        Category.INTERNET: Decimal("10.00"),
        Category.OTHER: Decimal("10.00"),
    }
)


def _default_hours() -> Mapping[tuple[Category, Priority], Decimal]:
    return MappingProxyType(
        {
            (category, priority): BASE_LABOUR_HOURS[category] * factor
            for category in Category
            for priority, factor in PRIORITY_FACTORS.items()
        }
    )


@dataclass(frozen=True, slots=True)
class RateTable:
    hourly_rate: Money
    labour_hours: Mapping[tuple[Category, Priority], Decimal] = field(
        default_factory=_default_hours
    )
    typical_parts: Mapping[Category, Decimal] = field(default_factory=lambda: TYPICAL_PARTS)


def estimate_cost(category: Category, priority: Priority, table: RateTable) -> Money:
    """Labour hours for the category and priority times the hourly rate, plus typical parts;
    rounded to the cent, half up, once at the end."""
    hours = table.labour_hours[(category, priority)]
    parts = table.typical_parts.get(category, Decimal(0))
    total = hours * table.hourly_rate.amount + parts
    return Money(total.quantize(CENT, rounding="ROUND_HALF_UP"), table.hourly_rate.currency)
