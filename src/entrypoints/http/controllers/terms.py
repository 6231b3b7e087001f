from uuid import UUID

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from application.housing.commands import CreateTermCommand, TermPatch
from application.housing.terms import CreateTerm, DeleteTerm, GetTerm, ListTerms, UpdateTerm
from application.housing.views import TermPage, TermView
from application.shared.paging import PageRequest
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.docs import described_by, problems


class TermController(Controller):
    path = "/api/terms"
    tags = ["Terms"]
    opt = allowed(*OFFICE)

    @post(
        "/",
        summary="Create an academic term",
        description=described_by(CreateTerm),
        responses=problems(403, 409, 422),
    )
    async def create(
        self, data: JSONBody[CreateTermCommand], create_term: NamedDependency[CreateTerm]
    ) -> TermView:
        return await create_term(data)

    @get(
        "/",
        summary="List academic terms",
        description=described_by(ListTerms),
        responses=problems(403, 422),
    )
    async def list(
        self, list_terms: NamedDependency[ListTerms], page: NamedDependency[PageRequest]
    ) -> TermPage:
        return await list_terms(page)

    @get(
        "/{term_id:uuid}",
        summary="Read a term",
        description=described_by(GetTerm),
        responses=problems(403, 404),
    )
    async def read(self, term_id: FromPath[UUID], get_term: NamedDependency[GetTerm]) -> TermView:
        return await get_term(term_id)

    @patch(
        "/{term_id:uuid}",
        summary="Rename a term or move its dates",
        description=described_by(UpdateTerm),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        term_id: FromPath[UUID],
        data: JSONBody[TermPatch],
        update_term: NamedDependency[UpdateTerm],
    ) -> TermView:
        return await update_term(term_id, data)

    @delete(
        "/{term_id:uuid}",
        summary="Delete a term",
        description=described_by(DeleteTerm),
        responses=problems(403, 404, 409),
    )
    async def remove(
        self, term_id: FromPath[UUID], delete_term: NamedDependency[DeleteTerm]
    ) -> None:
        await delete_term(term_id)
