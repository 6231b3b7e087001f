"""In-memory fakes of the voter ports, over the imports fake's voter roll."""

from dataclasses import replace
from types import TracebackType
from typing import Self

from application.shared.paging import PageRequest
from application.voters.views import (
    DepartmentCount,
    VoterFilter,
    VoterPage,
    VoterStats,
    VoterView,
    YearCount,
)
from application.voters.voters import voter_view
from domain.voters.model import Voter
from tests.fakes.imports import InMemoryImportsStore, StoredVoter


def _voter(stored: StoredVoter) -> Voter:
    row = stored.row
    return Voter(
        student_id=row.student_id,
        email=row.email,
        first_name=row.first_name,
        last_name=row.last_name,
        department=row.department,
        year=row.year,
        is_eligible=row.is_eligible,
        created_at=stored.created_at,
        updated_at=stored.updated_at,
    )


def _matches(voter: Voter, criteria: VoterFilter) -> bool:
    if criteria.department is not None and (voter.department or "").lower() != (
        criteria.department.lower()
    ):
        return False
    if criteria.year is not None and voter.year != criteria.year:
        return False
    if criteria.is_eligible is not None and voter.is_eligible is not criteria.is_eligible:
        return False
    needle = (criteria.q or "").strip().lower()
    texts = (voter.first_name, voter.last_name, voter.email, voter.student_id)
    return not needle or any(needle in (text or "").lower() for text in texts)


class InMemoryVoterQueries:
    def __init__(self, store: InMemoryImportsStore) -> None:
        self._store = store

    def _sorted(self, criteria: VoterFilter) -> list[Voter]:
        voters = [_voter(stored) for _, stored in sorted(self._store.voters.items())]
        return [voter for voter in voters if _matches(voter, criteria)]

    async def voters(self, criteria: VoterFilter, page: PageRequest) -> VoterPage:
        found = self._sorted(criteria)
        items = [voter_view(v) for v in found[page.offset : page.offset + page.limit]]
        return VoterPage(items=items, total=len(found), limit=page.limit, offset=page.offset)

    async def voter(self, student_id: str) -> VoterView | None:
        stored = self._store.voters.get(student_id)
        return None if stored is None else voter_view(_voter(stored))

    async def after(self, criteria: VoterFilter, student_id: str, limit: int) -> list[VoterView]:
        later = [v for v in self._sorted(criteria) if v.student_id > student_id]
        return [voter_view(voter) for voter in later[:limit]]

    async def stats(self) -> VoterStats:
        voters = self._sorted(VoterFilter())
        eligible = sum(1 for voter in voters if voter.is_eligible)
        departments = sorted({v.department for v in voters}, key=lambda d: (d is None, d or ""))
        years = sorted({v.year for v in voters}, key=lambda y: (y is None, y or 0))
        return VoterStats(
            total=len(voters),
            eligible=eligible,
            ineligible=len(voters) - eligible,
            by_department=[
                DepartmentCount(department=d, **_count([v for v in voters if v.department == d]))
                for d in departments
            ],
            by_year=[
                YearCount(year=y, **_count([v for v in voters if v.year == y])) for y in years
            ],
        )


def _count(voters: list[Voter]) -> dict[str, int]:
    return {"total": len(voters), "eligible": sum(1 for v in voters if v.is_eligible)}


class InMemoryVoterRepository:
    def __init__(self, voters: dict[str, StoredVoter]) -> None:
        self._voters = voters

    async def get(self, student_id: str) -> Voter | None:
        stored = self._voters.get(student_id)
        return None if stored is None else _voter(stored)

    async def owner_of(self, email: str) -> str | None:
        return next((sid for sid, v in self._voters.items() if v.row.email == email), None)

    async def save(self, voter: Voter) -> None:
        stored = self._voters[voter.student_id]
        row = replace(
            stored.row,
            email=voter.email,
            first_name=voter.first_name,
            last_name=voter.last_name,
            department=voter.department,
            year=voter.year,
            is_eligible=voter.is_eligible,
        )
        self._voters[voter.student_id] = replace(stored, row=row, updated_at=voter.updated_at)

    async def delete(self, student_id: str) -> bool:
        return self._voters.pop(student_id, None) is not None


class InMemoryVotersUnitOfWork:
    """Works on a copy of the roll and publishes it on commit."""

    def __init__(self, store: InMemoryImportsStore) -> None:
        self._store = store
        self._work: dict[str, StoredVoter] = {}

    async def __aenter__(self) -> Self:
        self._work = dict(self._store.voters)
        self.voters = InMemoryVoterRepository(self._work)
        return self

    async def commit(self) -> None:
        self._store.voters = dict(self._work)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._work = {}
