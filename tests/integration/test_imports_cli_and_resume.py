"""`residence import` on a SQLite database, and imports.resume on SQLite: the use cases with
the real adapters, no broker."""

import json
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest
from dependency_injector import providers

from adapters.sqlalchemy.migrator import upgrade_to_head
from application.imports.views import StartImportCommand
from entrypoints.cli import main
from entrypoints.container import Container
from entrypoints.settings import load_settings
from tests.fakes import FixedClock, RecordingBackgroundTasks

ROLL = "Student ID,Email,Year\n0042,ada@example.edu,2\n0043,bad,1\n"
RESIDENTS = "Student ID,First Name,Last Name,Email\n0042,Ada,Okafor,ada@example.edu\n"


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'var' / 'cli.db'}")
    monkeypatch.delenv("REDIS_URL", raising=False)
    return tmp_path


def _file(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_command_imports_and_prints_the_report(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", "voters", _file(environment, "roll.csv", ROLL)])

    printed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert printed["state"] == "succeeded"
    assert (printed["report"]["created"], printed["report"]["invalid"]) == (1, 1)
    again = main(["import", "voters", _file(environment, "roll.csv", ROLL)])
    assert again == 0
    assert json.loads(capsys.readouterr().out)["id"] == printed["id"]  # same file: same import


def test_residents_dry_run_changes_nothing(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(environment, "residents.csv", RESIDENTS)

    assert main(["import", "residents", path, "--dry-run"]) == 0
    assert json.loads(capsys.readouterr().out)["report"]["created"] == 1
    assert main(["import", "residents", path]) == 0
    assert json.loads(capsys.readouterr().out)["report"]["created"] == 1


def test_a_failed_import_exits_non_zero(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["import", "voters", _file(environment, "bad.csv", "Name,Dept\nAda,Maths\n")])

    printed = json.loads(capsys.readouterr().out)
    assert code == 1
    assert printed["state"] == "failed"
    assert "student_id" in printed["report"]["error"]


def test_a_refused_start_exits_with_a_usage_error(
    environment: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(environment, "roll.csv", ROLL)

    assert main(["import", "voters", path, "--mode", "replace"]) == 2
    assert "confirm" in capsys.readouterr().err
    assert main(["import", "residents", path, "--mode", "replace", "--confirm"]) == 2
    assert "mode: replace is not available" in capsys.readouterr().err


async def test_resume_on_sqlite_requeues_then_gives_up(tmp_path: Path) -> None:
    settings = load_settings(
        {"VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "x" * 40}, dotenv=None
    )
    settings.var_dir.mkdir(parents=True)
    container = Container(settings=settings)
    clock = FixedClock()
    tasks = RecordingBackgroundTasks()
    container.clock.override(providers.Object(clock))
    container.background_tasks.override(providers.Object(tasks))
    await upgrade_to_head(container.engine())
    path = tmp_path / "roll.csv"
    path.write_text(ROLL, encoding="utf-8")
    command = StartImportCommand(
        path=str(path), file_name="roll.csv", size=path.stat().st_size, sha256="ab" * 32
    )
    try:
        started = await container.imports.start_import()(None, command)
        import_id = started.view.id
        resume = container.imports.resume_imports()
        for _lost in range(2):
            clock.advance(timedelta(minutes=11))
            assert await resume() == 1
        clock.advance(timedelta(minutes=11))
        assert await resume() == 1
        stored = await container.job_repository().get(UUID(str(import_id)))
        assert stored is not None
        assert stored.state.value == "failed"
        assert "lost 3 times" in (stored.error or "")
        assert [name for name, _ in tasks.enqueued].count("imports.run") == 3
    finally:
        await container.engine().dispose()
