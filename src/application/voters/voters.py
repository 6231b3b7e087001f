"""The voter roll by hand: list, read, count, export, change and remove voters (the office)."""

from collections.abc import AsyncIterator

from msgspec import UNSET

from application.shared.paging import PageRequest
from application.shared.ports import Clock
from application.voters.ports import VoterQueries, VotersUnitOfWorkFactory
from application.voters.views import VoterFilter, VoterPage, VoterPatch, VoterStats, VoterView
from domain.shared.errors import Conflict, NotFound
from domain.voters.model import Voter
from domain.voters.rules import voter_email, voter_text, voter_year

# Voters read per query while streaming the export.
EXPORT_PAGE_ROWS = 1000


def voter_view(voter: Voter) -> VoterView:
    return VoterView(
        student_id=voter.student_id,
        email=voter.email,
        first_name=voter.first_name,
        last_name=voter.last_name,
        department=voter.department,
        year=voter.year,
        is_eligible=voter.is_eligible,
        created_at=voter.created_at,
        updated_at=voter.updated_at,
    )


class ListVoters:
    """Voters by student id, filtered by `department` (whole name, any case), `year`,
    `is_eligible` and `q` (part of a name, the email or the student id)."""

    def __init__(self, queries: VoterQueries) -> None:
        self._queries = queries

    async def __call__(self, criteria: VoterFilter, page: PageRequest) -> VoterPage:
        return await self._queries.voters(criteria, page)


class GetVoter:
    """One voter by student id (text: leading zeros count)."""

    def __init__(self, queries: VoterQueries) -> None:
        self._queries = queries

    async def __call__(self, student_id: str) -> VoterView:
        found = await self._queries.voter(student_id)
        if found is None:
            raise NotFound("voter", student_id)
        return found


class GetVoterStats:
    """How many voters there are and how many are eligible, in all, per department and per
    year of study (counted by the database)."""

    def __init__(self, queries: VoterQueries) -> None:
        self._queries = queries

    async def __call__(self) -> VoterStats:
        return await self._queries.stats()


class ExportVoters:
    """Every matching voter by student id, read a page at a time as the pages are iterated,
    so a roll of any size streams out in bounded memory."""

    def __init__(self, queries: VoterQueries, page_rows: int = EXPORT_PAGE_ROWS) -> None:
        self._queries = queries
        self._page_rows = page_rows

    async def __call__(self, criteria: VoterFilter) -> AsyncIterator[list[VoterView]]:
        after = ""
        while page := await self._queries.after(criteria, after, self._page_rows):
            yield page
            after = page[-1].student_id


class UpdateVoter:
    """Changes a voter's eligibility or contact fields.

    - names and department are trimmed (at most 200 characters; null or blank clears them);
    - the email is checked and lower-cased, and one that another voter has answers 409;
    - `year` is 1 to 10, or null;
    - fields not sent are left as they are; unknown fields answer 422 naming them."""

    def __init__(self, uow: VotersUnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def __call__(self, student_id: str, patch: VoterPatch) -> VoterView:
        async with self._uow() as uow:
            voter = await uow.voters.get(student_id)
            if voter is None:
                raise NotFound("voter", student_id)
            _apply(voter, patch)
            if patch.email is not UNSET:
                owner = await uow.voters.owner_of(voter.email)
                if owner is not None and owner != student_id:
                    raise Conflict("email already belongs to another voter", field="email")
            voter.updated_at = self._clock.now()
            await uow.voters.save(voter)
            await uow.commit()
        return voter_view(voter)


def _apply(voter: Voter, patch: VoterPatch) -> None:
    if patch.first_name is not UNSET:
        voter.first_name = voter_text(patch.first_name, "first_name")
    if patch.last_name is not UNSET:
        voter.last_name = voter_text(patch.last_name, "last_name")
    if patch.department is not UNSET:
        voter.department = voter_text(patch.department, "department")
    if patch.email is not UNSET:
        voter.email = voter_email(patch.email)
    if patch.year is not UNSET:
        voter.year = voter_year(patch.year)
    if patch.is_eligible is not UNSET:
        voter.is_eligible = patch.is_eligible


class DeleteVoter:
    """Removes a voter from the roll (404 when there is none)."""

    def __init__(self, uow: VotersUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, student_id: str) -> None:
        async with self._uow() as uow:
            if not await uow.voters.delete(student_id):
                raise NotFound("voter", student_id)
            await uow.commit()
