"""How long work may take: the SLA deadline of each priority, business-day arithmetic, and the
escalation level of a request past its deadline.

Business days are Monday to Friday in UTC; public holidays are not known yet. A deadline of N
business days keeps the time of day: a request submitted on Tuesday at 10:00 with 3 business
days is due on Friday at 10:00. A request submitted during a weekend counts from Monday 00:00,
the first instant of the next business day."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from domain.maintenance.model import Priority

SATURDAY = 5
# Staff are alerted when a request becomes overdue and again each time it has waited another
# full SLA period; after this many alerts, one more would add nothing.
MAX_ESCALATION_LEVEL = 3


def is_business_day(moment: datetime) -> bool:
    return moment.weekday() < SATURDAY


def next_business_start(moment: datetime) -> datetime:
    """`moment` itself on a business day; otherwise the first instant of the next one."""
    if is_business_day(moment):
        return moment
    days_to_monday = 7 - moment.weekday()
    monday = (moment + timedelta(days=days_to_monday)).date()
    return datetime.combine(monday, time(0), tzinfo=moment.tzinfo)


def add_business_days(start: datetime, days: int) -> datetime:
    """`days` business days after `start` (see the module docstring for weekends)."""
    if days < 0:
        raise ValueError("business days to add must not be negative")
    moment = next_business_start(start)
    whole_weeks, remainder = divmod(days, 5)
    moment += timedelta(weeks=whole_weeks)
    for _ in range(remainder):
        moment += timedelta(days=1)
        while not is_business_day(moment):
            moment += timedelta(days=1)
    return moment


@dataclass(frozen=True, slots=True)
class Allowance:
    """The time one priority allows: clock hours, or business days."""

    hours: int = 0
    business_days: int = 0

    def due_from(self, start: datetime) -> datetime:
        if self.business_days:
            return add_business_days(start, self.business_days)
        return start + timedelta(hours=self.hours)


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    emergency: Allowance = Allowance(hours=4)
    high: Allowance = Allowance(hours=24)
    routine: Allowance = Allowance(business_days=3)
    low: Allowance = Allowance(business_days=10)

    def allowance(self, priority: Priority) -> Allowance:
        allowance: Allowance = getattr(self, priority.value)
        return allowance


def sla_due_at(priority: Priority, submitted_at: datetime, policy: SlaPolicy) -> datetime:
    return policy.allowance(priority).due_from(submitted_at)


def escalation_level(submitted_at: datetime, due_at: datetime, now: datetime) -> int:
    """0 before the deadline; 1 from the deadline on; one more for each further SLA period
    (the time from submission to deadline) it waits, up to MAX_ESCALATION_LEVEL."""
    if now < due_at:
        return 0
    period = due_at - submitted_at
    if period <= timedelta(0):
        return MAX_ESCALATION_LEVEL
    return min(MAX_ESCALATION_LEVEL, 1 + (now - due_at) // period)
