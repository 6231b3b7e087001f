"""The voter roll over HTTP (the office): list, read, change, remove, count and export."""

from collections.abc import AsyncIterator
from typing import Annotated

from litestar import Controller, delete, get, patch
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.response import Stream

from application.shared.paging import PageRequest
from application.voters.views import VoterFilter, VoterPage, VoterPatch, VoterStats, VoterView
from application.voters.voters import (
    DeleteVoter,
    ExportVoters,
    GetVoter,
    GetVoterStats,
    ListVoters,
    UpdateVoter,
)
from domain.voters.rules import MAX_YEAR, MIN_YEAR
from entrypoints.http.access import OFFICE, allowed
from entrypoints.http.controllers.imports import csv_body, csv_download
from entrypoints.http.docs import described_by, problems

EXPORT_COLUMNS = (
    "student_id",
    "first_name",
    "last_name",
    "email",
    "department",
    "year",
    "is_eligible",
)


async def _export_csv(pages: AsyncIterator[list[VoterView]]) -> AsyncIterator[str]:
    yield csv_body(EXPORT_COLUMNS, [])
    async for page in pages:
        yield csv_body(
            (),
            (
                [
                    voter.student_id,
                    voter.first_name,
                    voter.last_name,
                    voter.email,
                    voter.department,
                    voter.year,
                    "true" if voter.is_eligible else "false",
                ]
                for voter in page
            ),
        )


class VoterController(Controller):
    path = "/api/voters"
    tags = ["Voters"]
    opt = allowed(*OFFICE)

    @get(
        "/",
        summary="List voters",
        description=described_by(ListVoters),
        responses=problems(403, 422),
    )
    async def list(
        self,
        list_voters: NamedDependency[ListVoters],
        page: NamedDependency[PageRequest],
        department: FromQuery[str | None] = None,
        year: Annotated[int | None, QueryParameter(ge=MIN_YEAR, le=MAX_YEAR)] = None,
        is_eligible: FromQuery[bool | None] = None,
        q: FromQuery[str | None] = None,
    ) -> VoterPage:
        criteria = VoterFilter(department=department, year=year, is_eligible=is_eligible, q=q)
        return await list_voters(criteria, page)

    @get(
        "/stats",
        summary="Count voters by department, year and eligibility",
        description=described_by(GetVoterStats),
        responses=problems(403),
    )
    async def stats(self, get_voter_stats: NamedDependency[GetVoterStats]) -> VoterStats:
        return await get_voter_stats()

    @get(
        "/export.csv",
        summary="Export voters as CSV",
        description=described_by(ExportVoters)
        + "\n\nTakes the list's filters. Cells starting with `=`, `+`, `-`, `@`, tab or CR get "
        "a leading `'` so that spreadsheets do not run them as formulas.",
        responses=problems(403, 422),
        media_type="text/csv",
    )
    async def export(
        self,
        export_voters: NamedDependency[ExportVoters],
        department: FromQuery[str | None] = None,
        year: Annotated[int | None, QueryParameter(ge=MIN_YEAR, le=MAX_YEAR)] = None,
        is_eligible: FromQuery[bool | None] = None,
        q: FromQuery[str | None] = None,
    ) -> Stream:
        criteria = VoterFilter(department=department, year=year, is_eligible=is_eligible, q=q)
        return csv_download(_export_csv(export_voters(criteria)), "voters.csv")

    @get(
        "/{student_id:str}",
        summary="Read a voter",
        description=described_by(GetVoter),
        responses=problems(403, 404),
    )
    async def read(
        self, student_id: FromPath[str], get_voter: NamedDependency[GetVoter]
    ) -> VoterView:
        return await get_voter(student_id)

    @patch(
        "/{student_id:str}",
        summary="Change a voter's eligibility or contact fields",
        description=described_by(UpdateVoter),
        responses=problems(403, 404, 409, 422),
    )
    async def update(
        self,
        student_id: FromPath[str],
        data: JSONBody[VoterPatch],
        update_voter: NamedDependency[UpdateVoter],
    ) -> VoterView:
        return await update_voter(student_id, data)

    @delete(
        "/{student_id:str}",
        summary="Remove a voter from the roll",
        description=described_by(DeleteVoter),
        responses=problems(403, 404),
    )
    async def remove(
        self, student_id: FromPath[str], delete_voter: NamedDependency[DeleteVoter]
    ) -> None:
        await delete_voter(student_id)
