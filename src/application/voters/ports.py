"""What the voter use cases need: queries for the read side, a unit of work for changes."""

from collections.abc import Callable
from typing import Protocol

from application.shared.paging import PageRequest
from application.shared.ports import UnitOfWork
from application.voters.views import VoterFilter, VoterPage, VoterStats, VoterView
from domain.voters.model import Voter


class VoterQueries(Protocol):
    async def voters(self, criteria: VoterFilter, page: PageRequest) -> VoterPage:
        """Ordered by student id; `department` matches whole and case-insensitively, `q` is
        part of the first name, last name, email or student id."""
        ...

    async def voter(self, student_id: str) -> VoterView | None: ...

    async def stats(self) -> VoterStats:
        """Counted by the database: groups in order, no department or year last."""
        ...

    async def after(self, criteria: VoterFilter, student_id: str, limit: int) -> list[VoterView]:
        """Up to `limit` matching voters whose student id sorts after `student_id`."""
        ...


class VoterRepository(Protocol):
    async def get(self, student_id: str) -> Voter | None: ...

    async def owner_of(self, email: str) -> str | None:
        """The student id whose email this is, if any."""
        ...

    async def save(self, voter: Voter) -> None: ...

    async def delete(self, student_id: str) -> bool:
        """False when there was no such voter."""
        ...


class VotersUnitOfWork(UnitOfWork, Protocol):
    @property
    def voters(self) -> VoterRepository: ...


VotersUnitOfWorkFactory = Callable[[], VotersUnitOfWork]
