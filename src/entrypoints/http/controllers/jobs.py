from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from application.jobs.jobs import GetJob
from application.jobs.views import JobView
from domain.accounts.model import Principal
from entrypoints.http.access import everyone
from entrypoints.http.docs import described_by, problems


class JobController(Controller):
    path = "/api/jobs"
    tags = ["Jobs"]
    # Every role may ask; the use case decides which jobs each caller sees.
    opt = everyone()

    @get(
        "/{job_id:uuid}",
        summary="Read a job",
        description=described_by(GetJob),
        responses=problems(404),
    )
    async def read(
        self,
        job_id: FromPath[UUID],
        caller: NamedDependency[Principal],
        get_job: NamedDependency[GetJob],
    ) -> JobView:
        return await get_job(caller, job_id)
