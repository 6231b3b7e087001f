from uuid import UUID

from application.jobs.ports import JobRepository
from application.jobs.views import JobView, job_view
from domain.accounts.model import Principal
from domain.jobs.rules import may_read_job
from domain.shared.errors import NotFound


class GetJob:
    """A job's state, progress and outcome.

    - The residence office (admin, staff) reads every job.
    - Anyone else reads only the jobs they started; any other job answers 404, like one that
      does not exist, so that job ids cannot be probed.
    - `progress` is the percentage done, rounded down; `processed` and `total` count items when
      the job counts them. The same document is pushed on the WebSocket topic `jobs.{id}`."""

    def __init__(self, jobs: JobRepository) -> None:
        self._jobs = jobs

    async def __call__(self, caller: Principal, job_id: UUID) -> JobView:
        job = await self._jobs.get(job_id)
        if job is None or not may_read_job(caller, job.created_by):
            raise NotFound("job", job_id)
        return job_view(job)
