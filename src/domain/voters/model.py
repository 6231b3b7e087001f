"""A student on the voter roll."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class Voter:
    """Keyed by student id, which is text (`00123` and `123` are different students)."""

    student_id: str
    email: str
    first_name: str | None
    last_name: str | None
    department: str | None
    year: int | None
    is_eligible: bool
    created_at: datetime
    updated_at: datetime
