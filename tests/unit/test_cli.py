"""The `residence` command, run in process against a SQLite file under a temporary VAR_DIR."""

import asyncio
import re
from pathlib import Path

import pytest

from adapters.sqlalchemy.migrator import head_revision
from application.housing.views import BuildingFilter, ResidentFilter, RoomFilter
from application.shared.paging import PageRequest
from entrypoints.cli import main
from entrypoints.container import Container
from entrypoints.settings import load_settings

SETTINGS_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "SMTP_URL",
    "ADMIN_EMAIL",
    "MAIL_FROM",
    "VAR_DIR",
    "OUTBOX_DIR",
    "DATABASE_POOL_SIZE",
    "LOG_LEVEL",
)


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no inherited settings, no `.env`, data under a temporary VAR_DIR."""
    for name in SETTINGS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    var_dir = tmp_path / "var"
    monkeypatch.setenv("VAR_DIR", str(var_dir))
    return var_dir


def _counts() -> dict[str, int | list[str]]:
    async def read() -> dict[str, int | list[str]]:
        container = Container(settings=load_settings())
        queries = container.housing_queries()
        everything = PageRequest(limit=500)
        try:
            residents = await queries.residents(ResidentFilter(), everything)
            return {
                "buildings": (await queries.buildings(BuildingFilter(), everything)).total,
                "rooms": (await queries.rooms(RoomFilter(), everything)).total,
                "residents": residents.total,
                "terms": (await queries.terms(everything)).total,
                "student_ids": [resident.student_id for resident in residents.items],
            }
        finally:
            await container.engine().dispose()

    return asyncio.run(read())


def test_migrate_creates_the_database_and_prints_the_revision(
    var_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["migrate"]) == 0

    assert (var_dir / "residence.db").is_file()
    assert capsys.readouterr().out == f"database is at revision {head_revision()} (head)\n"


def test_migrate_twice_is_harmless(var_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0

    assert capsys.readouterr().out.count(f"revision {head_revision()} (head)") == 2


def test_seed_demo_fills_the_campus_once(var_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["migrate"]) == 0
    assert main(["seed-demo"]) == 0

    output = capsys.readouterr().out
    assert re.search(r"3 buildings, 150 rooms with \d+ beds, 300 residents, 2 terms", output)
    seeded = _counts()
    assert {key: seeded[key] for key in ("buildings", "rooms", "residents", "terms")} == {
        "buildings": 3,
        "rooms": 150,
        "residents": 300,
        "terms": 2,
    }
    student_ids = seeded["student_ids"]
    assert isinstance(student_ids, list)
    assert all(re.fullmatch(r"00\d{6}", student_id) for student_id in student_ids)

    assert main(["seed-demo"]) == 0

    assert "already there (buildings MH, NH, RC); nothing changed" in capsys.readouterr().out
    assert _counts() == seeded


def test_seed_demo_migrates_a_fresh_database_itself(
    var_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["seed-demo"]) == 0

    assert _counts()["residents"] == 300


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://u@db/residence"),
        ("REDIS_URL", "amqp://127.0.0.1"),
        ("LOG_LEVEL", "LOUD"),
        ("SECRET_KEY", "short"),
    ],
)
def test_a_bad_setting_exits_2_naming_the_variable(
    var_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
) -> None:
    monkeypatch.setenv(variable, value)

    assert main(["migrate"]) == 2

    assert capsys.readouterr().err.startswith(f"error: {variable}: ")
    assert not (var_dir / "residence.db").exists()


def test_a_bad_setting_in_dotenv_is_reported_the_same_way(
    var_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Path(".env").write_text("DATABASE_POOL_SIZE=lots\n", encoding="utf-8")

    assert main(["seed-demo"]) == 2

    assert capsys.readouterr().err.startswith("error: DATABASE_POOL_SIZE: ")


@pytest.mark.parametrize("command", [["worker"], ["worker", "--concurrency", "4"], ["scheduler"]])
def test_worker_and_scheduler_need_redis(
    var_dir: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    assert main(command) == 2

    error = capsys.readouterr().err
    assert error.startswith("error: REDIS_URL: ")
    assert "cannot be shared between processes" in error


@pytest.mark.parametrize(
    "arguments",
    [[], ["launch"], ["serve", "--workers", "0"], ["dev", "--port", "70000"], ["worker", "-c"]],
)
def test_bad_usage_exits_2(var_dir: Path, arguments: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(arguments)

    assert exited.value.code == 2
