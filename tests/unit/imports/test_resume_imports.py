"""imports.resume on fakes: a stalled import is handed to a worker again, its third loss ends it
as failed with the emails, and a moving or finished one is left alone."""

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from domain.jobs.model import JobState
from entrypoints.container import Container
from tests.fakes import (
    FixedClock,
    InMemoryImportsStore,
    InMemoryJobRepository,
    RecordingBackgroundTasks,
)
from tests.unit.housing_api import Client

ROLL = "student_id,email\n001,a@example.edu\n002,b@example.edu\n"


async def _started(client: Client) -> UUID:
    files = {"file": ("roll.csv", ROLL.encode(), "text/csv")}
    response = await client.post("/api/imports", files=files, data={"force": "true"})
    assert response.status_code == 202, response.text
    return UUID(response.json()["id"])


def _kicked(container: Container) -> list[str]:
    tasks = container.background_tasks()
    assert isinstance(tasks, RecordingBackgroundTasks)
    return [
        str(kwargs.get("import_id")) for name, kwargs in tasks.enqueued if name == "imports.run"
    ]


async def test_a_fresh_import_is_left_alone(client: Client, container: Container) -> None:
    import_id = await _started(client)

    assert await container.imports.resume_imports()() == 0
    assert _kicked(container) == [str(import_id)]  # only the start's own kick


async def test_a_stalled_import_is_requeued_then_given_up_on_the_third_loss(
    client: Client,
    container: Container,
    clock: FixedClock,
    imports_store: InMemoryImportsStore,
    job_repository: InMemoryJobRepository,
) -> None:
    import_id = await _started(client)
    resume = container.imports.resume_imports()

    for lost in (1, 2):
        clock.advance(timedelta(minutes=11))
        assert await resume() == 1
        assert imports_store.records[import_id].resumes == lost
        assert await resume() == 0  # requeued just now: it gets its own time to start
    assert _kicked(container) == [str(import_id)] * 3
    clock.advance(timedelta(minutes=11))

    assert await resume() == 1

    job = job_repository.jobs[import_id]
    assert job.state.value == "failed"
    assert "lost 3 times" in (job.error or "")
    assert "error" in (imports_store.records[import_id].report or {})
    mails = [n for n in imports_store.notifications.rows.values() if n.kind == "import_failed"]
    assert len(mails) == 1
    assert await resume() == 0  # finished: nothing left to do


async def test_a_requeued_import_finishes_with_the_counts_of_one_run(
    client: Client,
    container: Container,
    clock: FixedClock,
    imports_store: InMemoryImportsStore,
    job_repository: InMemoryJobRepository,
) -> None:
    import_id = await _started(client)
    run = container.imports.run_import()
    await run(import_id)
    report = imports_store.records[import_id].report
    # The worker died after its chunks committed but before the report: undo the report only.
    imports_store.records[import_id] = replace(
        imports_store.records[import_id], report=None, finished_at=None
    )
    job = job_repository.jobs[import_id]
    job_repository.jobs[import_id] = replace(job, state=JobState.RUNNING, finished_at=None)
    clock.advance(timedelta(minutes=11))

    assert await container.imports.resume_imports()() == 1
    await run(import_id)  # what the requeued task does

    again = imports_store.records[import_id].report
    assert report is not None
    assert again is not None
    assert (again["created"], again["total_rows"]) == (report["created"], report["total_rows"])
    assert len(imports_store.voters) == 2
