"""Half-open date ranges `[start, end)`: the day `end` is not included."""

from dataclasses import dataclass
from datetime import date

from domain.shared.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date

    @classmethod
    def of(cls, start: date, end: date, field: str = "ends_on") -> "DateRange":
        if end <= start:
            raise InvalidValue(field, f"must be after the start date {start.isoformat()}")
        return cls(start, end)

    @property
    def nights(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def overlaps(self, other: "DateRange") -> bool:
        # Back-to-back ranges share no night: one ends the day the other starts.
        return self.start < other.end and other.start < self.end
