"""Figures of the maintenance report, from plain facts about each request."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from statistics import median
from uuid import UUID

from domain.maintenance.model import OPEN_STATES, Category, Priority, RequestState


@dataclass(frozen=True, slots=True)
class RequestFacts:
    building_id: UUID
    category: Category
    priority: Priority
    state: RequestState
    overdue: bool
    submitted_at: datetime
    resolved_at: datetime | None
    estimated_cents: int | None
    actual_cents: int | None
    currency: str | None


@dataclass(frozen=True, slots=True)
class MonthlyCost:
    building_id: UUID
    month: str  # "2026-09": the month the requests were submitted in
    currency: str
    estimated_cents: int
    actual_cents: int
    requests: int


def open_counts(facts: Iterable[RequestFacts]) -> tuple[Counter[Priority], Counter[Category]]:
    open_facts = [fact for fact in facts if fact.state in OPEN_STATES]
    return Counter(f.priority for f in open_facts), Counter(f.category for f in open_facts)


def overdue_count(facts: Iterable[RequestFacts]) -> int:
    return sum(1 for fact in facts if fact.overdue and fact.state in OPEN_STATES)


def median_hours_to_resolve(facts: Iterable[RequestFacts]) -> Decimal | None:
    """Over the requests that were resolved (and possibly closed since); None when none were."""
    hours = [
        Decimal((fact.resolved_at - fact.submitted_at).total_seconds()) / 3600
        for fact in facts
        if fact.resolved_at is not None
    ]
    return None if not hours else Decimal(median(hours)).quantize(Decimal("0.01"))


def monthly_costs(facts: Iterable[RequestFacts]) -> list[MonthlyCost]:
    """Per building, month of submission and currency: the estimates of every request, and the
    actual cost of those resolved; cancelled requests count for neither. Ordered by building,
    month and currency."""
    totals: dict[tuple[UUID, str, str], list[int]] = {}
    for fact in facts:
        if fact.state is RequestState.CANCELLED or fact.currency is None:
            continue
        key = (fact.building_id, fact.submitted_at.strftime("%Y-%m"), fact.currency)
        row = totals.setdefault(key, [0, 0, 0])
        row[0] += fact.estimated_cents or 0
        row[1] += fact.actual_cents or 0
        row[2] += 1
    return [
        MonthlyCost(building, month, currency, estimated, actual, count)
        for (building, month, currency), (estimated, actual, count) in sorted(
            totals.items(), key=lambda item: (str(item[0][0]), item[0][1], item[0][2])
        )
    ]
