"""The `residence` command, run in process against a SQLite file under a temporary VAR_DIR."""

import asyncio
import dataclasses
import getpass
import io
import re
from pathlib import Path

import pytest

from adapters.sqlalchemy.migrator import head_revision
from application.accounts.commands import LoginCommand
from application.accounts.views import UserFilter, UserView
from application.housing.views import BuildingFilter, ResidentFilter, RoomFilter
from application.shared.paging import PageRequest
from domain.accounts.model import Role
from entrypoints import cli
from entrypoints.cli import main
from entrypoints.container import Container
from entrypoints.secret_key import SECRET_KEY_FILE
from entrypoints.settings import VARIABLES, Settings, load_settings

SECRET_KEY = "k" * 40
PASSWORD = "correct horse battery staple"


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment: no inherited settings, no `.env`, data under a temporary VAR_DIR."""
    for name in VARIABLES:
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
    var_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)

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


@pytest.mark.parametrize(
    "command", [["serve"], ["serve", "--workers", "2"], ["worker"], ["scheduler"]]
)
def test_production_processes_refuse_to_start_without_secret_key(
    var_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    # Redis is named (never reached), so SECRET_KEY is the only thing missing.
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")

    assert main(command) == 2

    error = capsys.readouterr().err
    assert error.startswith("error: SECRET_KEY: ")
    assert f"`residence {command[0]}` needs the key that signs access tokens" in error
    assert not var_dir.exists()


def test_dev_signs_tokens_with_a_key_it_keeps_under_var_dir(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started_with: list[Settings] = []

    async def run_dev(settings: Settings, host: str, port: int) -> None:
        started_with.append(settings)

    monkeypatch.setattr(cli, "run_dev", run_dev)

    assert main(["dev"]) == 0
    assert main(["dev"]) == 0

    key = (var_dir / SECRET_KEY_FILE).read_text(encoding="utf-8").strip()
    assert [settings.secret_key for settings in started_with] == [key, key]

    monkeypatch.setenv("SECRET_KEY", SECRET_KEY)
    assert main(["dev"]) == 0
    assert started_with[-1].secret_key == SECRET_KEY


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """What `create-admin` reads when no terminal is attached; starts empty."""
    piped = io.StringIO()
    monkeypatch.setattr("sys.stdin", piped)
    return piped


def _typed_at_terminal(monkeypatch: pytest.MonkeyPatch, *entries: str) -> list[str]:
    """Attaches a terminal where the prompts get `entries` in turn; returns the prompts shown."""
    prompts: list[str] = []
    typed = iter(entries)

    def prompt(text: str = "Password: ", stream: object = None) -> str:
        prompts.append(text)
        return next(typed)

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", prompt)
    return prompts


def _admins() -> list[UserView]:
    async def read() -> list[UserView]:
        container = Container(settings=load_settings())
        try:
            page = await container.account_queries().users(UserFilter(), PageRequest(limit=100))
            return page.items
        finally:
            await container.engine().dispose()

    return asyncio.run(read())


def _logs_in(email: str, password: str) -> bool:
    async def login() -> bool:
        settings = dataclasses.replace(load_settings(), secret_key=SECRET_KEY)
        container = Container(settings=settings)
        try:
            command = LoginCommand(email=email, password=password)
            session = await container.accounts.login()(command, "127.0.0.1")
            return bool(session.access_token)
        finally:
            await container.engine().dispose()

    return asyncio.run(login())


def test_create_admin_reads_the_password_from_standard_input(
    var_dir: Path, stdin: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    # No SECRET_KEY and no prior `migrate`: neither is needed.
    stdin.write(f"{PASSWORD}\n")
    stdin.seek(0)

    assert main(["create-admin", "--email", "Warden@Example.edu"]) == 0

    [admin] = _admins()
    assert (admin.email, admin.role, admin.active) == ("warden@example.edu", Role.ADMIN, True)
    assert capsys.readouterr().out == f"Created admin warden@example.edu ({admin.id})\n"
    assert _logs_in("warden@example.edu", PASSWORD)


def test_create_admin_at_a_terminal_asks_twice(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    prompts = _typed_at_terminal(monkeypatch, PASSWORD, PASSWORD)

    assert main(["create-admin", "--email", "warden@example.edu"]) == 0

    assert prompts == ["Password: ", "Password (again): "]
    assert capsys.readouterr().out.startswith("Created admin warden@example.edu (")
    assert _logs_in("warden@example.edu", PASSWORD)


def test_create_admin_refuses_two_different_entries(
    var_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _typed_at_terminal(monkeypatch, PASSWORD, PASSWORD + "!")

    assert main(["create-admin", "--email", "warden@example.edu"]) == 2

    assert capsys.readouterr().err == "error: password: the two entries do not match\n"
    assert not var_dir.exists()


@pytest.mark.parametrize(
    ("email", "piped", "error"),
    [
        ("warden@example.edu", "short\n", "error: password: must be at least 12 characters"),
        ("warden@example.edu", "password1234\n", "error: password: is too common"),
        ("warden@example.edu", "", "error: password: expected one line on standard input"),
        ("warden", f"{PASSWORD}\n", "error: email: 'warden' is not a valid email address"),
    ],
    ids=["short", "common", "nothing piped", "bad email"],
)
def test_create_admin_exits_2_naming_the_bad_field(
    var_dir: Path,
    stdin: io.StringIO,
    capsys: pytest.CaptureFixture[str],
    email: str,
    piped: str,
    error: str,
) -> None:
    stdin.write(piped)
    stdin.seek(0)

    assert main(["create-admin", "--email", email]) == 2

    assert capsys.readouterr().err.startswith(error)
    if var_dir.exists():
        assert _admins() == []


def test_create_admin_refuses_an_email_that_has_an_account(
    var_dir: Path, stdin: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin.write(f"{PASSWORD}\nanother long passphrase\n")
    stdin.seek(0)
    assert main(["create-admin", "--email", "warden@example.edu"]) == 0

    assert main(["create-admin", "--email", "WARDEN@example.edu"]) == 2

    assert capsys.readouterr().err.startswith("error: email: ")
    assert [admin.email for admin in _admins()] == ["warden@example.edu"]
    assert _logs_in("warden@example.edu", PASSWORD)


@pytest.mark.parametrize(
    ("pressed", "code", "error"),
    [
        (EOFError, 2, "error: password: no password was entered\n"),
        (KeyboardInterrupt, 130, "\ninterrupted; no account was created\n"),
    ],
    ids=["Ctrl-D", "Ctrl-C"],
)
def test_create_admin_stops_when_the_prompt_is_abandoned(
    var_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pressed: type[BaseException],
    code: int,
    error: str,
) -> None:
    def prompt(text: str = "Password: ", stream: object = None) -> str:
        raise pressed

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr(getpass, "getpass", prompt)

    assert main(["create-admin", "--email", "warden@example.edu"]) == code

    assert capsys.readouterr().err == error
    assert not var_dir.exists()


def test_backup_writes_an_archive_and_restore_refuses_a_tampered_one(
    var_dir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import zipfile

    assert main(["seed-demo"]) == 0
    capsys.readouterr()

    assert main(["backup"]) == 0
    printed = capsys.readouterr().out
    archive = Path(printed.splitlines()[0].split(": ", 1)[1])
    assert archive.is_file()
    assert archive.is_relative_to(var_dir / "storage" / "backups")

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(tampered, "w") as copy:
        for name in original.namelist():
            content = original.read(name)
            copy.writestr(name, content + b"\n" if name == "terms.jsonl" else content)
    assert main(["restore", str(tampered)]) == 2
    assert "terms.jsonl" in capsys.readouterr().err

    # The database holds the campus: a restore needs --replace.
    assert main(["restore", str(archive)]) == 2
    assert "--replace" in capsys.readouterr().err
    assert main(["restore", str(archive), "--replace"]) == 0
    assert "restored" in capsys.readouterr().out
    assert _counts()["residents"] == 300
