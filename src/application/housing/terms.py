"""Use cases for academic terms."""

from uuid import UUID

from msgspec import UNSET

from application.housing.commands import CreateTermCommand, TermPatch
from application.housing.ports import HousingQueries, HousingUnitOfWork, HousingUnitOfWorkFactory
from application.housing.views import TermPage, TermView
from application.shared.paging import PageRequest
from domain.housing.errors import TermNameTaken
from domain.housing.model import Term
from domain.housing.rules import required_text
from domain.shared.dates import DateRange
from domain.shared.errors import NotFound


async def _view(queries: HousingQueries, term_id: UUID) -> TermView:
    view = await queries.term(term_id)
    if view is None:
        raise NotFound("term", term_id)
    return view


async def _ensure_unique(uow: HousingUnitOfWork, term: Term) -> None:
    other = await uow.terms.get_by_name(term.name)
    if other and other.id != term.id:
        raise TermNameTaken(term.name)


class CreateTerm:
    """Adds an academic term.

    - its dates are a half-open range: `ends_on` is the first day after the term, so it must
      be later than `starts_on` (422), and back-to-back terms share no night.
    - names are unique (409).
    """

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, command: CreateTermCommand) -> TermView:
        term = Term(
            name=required_text(command.name, "name", 100),
            dates=DateRange.of(command.starts_on, command.ends_on),
        )
        async with self._uow() as uow:
            await _ensure_unique(uow, term)
            await uow.terms.add(term)
            await uow.commit()
        return await _view(self._queries, term.id)


class UpdateTerm:
    """Renames a term or moves its dates; the result must still end after it starts."""

    def __init__(self, uow: HousingUnitOfWorkFactory, queries: HousingQueries) -> None:
        self._uow = uow
        self._queries = queries

    async def __call__(self, term_id: UUID, patch: TermPatch) -> TermView:
        async with self._uow() as uow:
            term = await uow.terms.get(term_id)
            if term is None:
                raise NotFound("term", term_id)
            if patch.name is not UNSET:
                term.name = required_text(patch.name, "name", 100)
            starts_on = term.dates.start if patch.starts_on is UNSET else patch.starts_on
            ends_on = term.dates.end if patch.ends_on is UNSET else patch.ends_on
            term.dates = DateRange.of(starts_on, ends_on)
            await _ensure_unique(uow, term)
            await uow.terms.update(term)
            await uow.commit()
        return await _view(self._queries, term_id)


class DeleteTerm:
    """Removes a term. A term that any booking names (in any state: bookings are kept as
    history) is refused (409)."""

    def __init__(self, uow: HousingUnitOfWorkFactory) -> None:
        self._uow = uow

    async def __call__(self, term_id: UUID) -> None:
        async with self._uow() as uow:
            if await uow.terms.get(term_id) is None:
                raise NotFound("term", term_id)
            await uow.terms.delete(term_id)
            await uow.commit()


class GetTerm:
    """Reads one term."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, term_id: UUID) -> TermView:
        return await _view(self._queries, term_id)


class ListTerms:
    """Lists terms ordered by start date."""

    def __init__(self, queries: HousingQueries) -> None:
        self._queries = queries

    async def __call__(self, page: PageRequest) -> TermPage:
        return await self._queries.terms(page)
