"""RunImport on fakes: chunks are idempotent, modes behave, and sorting rows always adds up."""

from dataclasses import replace
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from domain.imports.chunks import sort_voter_rows
from domain.imports.duplicates import DuplicateDetector
from domain.imports.headers import ImportKind, map_headers
from domain.jobs.model import JobState
from entrypoints.container import Container
from tests.fakes import InMemoryImportsStore, InMemoryJobRepository
from tests.unit.housing_api import Client

HEADER = "student_id,email,year\n"


def roll(count: int, year: str = "1") -> str:
    return HEADER + "".join(f"{i:05d},s{i}@example.edu,{year}\n" for i in range(count))


async def _import(client: Client, container: Container, body: str, **form: str) -> dict:
    files = {"file": ("roll.csv", body.encode(), "text/csv")}
    started = await client.post("/api/imports", files=files, data={"force": "true", **form})
    assert started.status_code == 202, started.text
    import_id = started.json()["id"]
    await container.imports.run_import()(UUID(import_id))
    report: dict = (await client.get(f"/api/imports/{import_id}")).json()["report"]
    return report


async def test_upsert_then_unchanged_then_updated_then_replace(
    client: Client, container: Container, imports_store: InMemoryImportsStore
) -> None:
    assert (await _import(client, container, roll(5)))["created"] == 5
    assert (await _import(client, container, roll(5)))["unchanged"] == 5
    assert (await _import(client, container, roll(3, "2")))["updated"] == 3
    appended = await _import(client, container, roll(6), mode="append")
    assert (appended["created"], appended["skipped"]) == (1, 5)
    dry = await _import(client, container, roll(2), mode="replace", dry_run="true")
    assert (dry["removed"], len(imports_store.voters)) == (4, 6)
    replaced = await _import(client, container, roll(2), mode="replace", confirm="true")
    assert (replaced["removed"], sorted(imports_store.voters)) == (4, ["00000", "00001"])


async def test_a_rerun_after_a_crash_gives_the_same_counts(
    client: Client,
    container: Container,
    imports_store: InMemoryImportsStore,
    job_repository: InMemoryJobRepository,
) -> None:
    files = {"file": ("roll.csv", roll(7).encode(), "text/csv")}
    import_id = UUID((await client.post("/api/imports", files=files)).json()["id"])
    record = imports_store.records[import_id]
    run = container.imports.run_import()
    run._site = type(run._site)(run._site.public_url, None, chunk_rows=3)
    await run(import_id)
    report = imports_store.records[import_id].report
    # A redelivered task after the crash: the record is un-finished and chunks are replayed.
    imports_store.records[import_id] = record
    job = job_repository.jobs[import_id]
    job_repository.jobs[import_id] = replace(
        job, state=JobState.RUNNING, finished_at=None, result=None
    )
    await run(import_id)
    assert imports_store.records[import_id].report is not None
    again = imports_store.records[import_id].report
    assert report is not None
    assert again is not None
    assert {k: again[k] for k in ("created", "unchanged", "total_rows")} == {
        k: report[k] for k in ("created", "unchanged", "total_rows")
    }


cells = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["a@b.edu", "1", "x@y.edu"]))


@given(st.lists(st.tuples(cells, cells, cells), max_size=30))
def test_every_row_lands_in_exactly_one_bucket(rows: list[tuple[object, ...]]) -> None:
    mapping = map_headers(ImportKind.VOTERS, ["student_id", "email", "year"])
    numbered = [(line, list(cells)) for line, cells in enumerate(rows, start=2)]

    chunk = sort_voter_rows(numbered, mapping, DuplicateDetector(), True)  # type: ignore[arg-type]

    assert chunk.blank + chunk.invalid + chunk.duplicates + len(chunk.valid) == len(rows)
