"""Settings: embedded defaults, `.env` under the environment, one clear error per bad variable."""

import re
from pathlib import Path

import pytest

from entrypoints import settings as settings_module
from entrypoints.settings import VARIABLES, SettingsError, load_settings


def test_defaults_are_the_embedded_mode(tmp_path: Path) -> None:
    settings = load_settings({"VAR_DIR": str(tmp_path / "var")}, dotenv=None)

    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'var' / 'residence.db'}"
    assert settings.sqlite_path == tmp_path / "var" / "residence.db"
    assert settings.redis_url is None
    assert settings.task_broker == "in_process"
    assert settings.smtp_url is None
    assert settings.outbox_dir == tmp_path / "var" / "outbox"
    assert settings.log_level == "INFO"
    assert settings.database_pool_size == 10


def test_var_dir_defaults_to_var_in_the_working_directory() -> None:
    settings = load_settings({}, dotenv=None)

    assert settings.var_dir == Path("var")
    assert settings.sqlite_path == Path("var") / "residence.db"


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# local overrides\n"
        "LOG_LEVEL=debug\n"
        "export ADMIN_EMAIL='warden@example.edu'\n"
        'REDIS_URL="redis://127.0.0.1:6379/2"\n',
        encoding="utf-8",
    )

    settings = load_settings({"LOG_LEVEL": "warning"}, dotenv=dotenv)

    assert settings.log_level == "WARNING"
    assert settings.admin_email == "warden@example.edu"
    assert settings.redis_url == "redis://127.0.0.1:6379/2"
    assert settings.task_broker == "redis"


def test_a_missing_dotenv_is_no_error(tmp_path: Path) -> None:
    assert load_settings({}, dotenv=tmp_path / "absent.env").redis_url is None


def test_a_malformed_dotenv_line_names_file_and_line(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("LOG_LEVEL=INFO\nthis is not a setting\n", encoding="utf-8")

    with pytest.raises(SettingsError, match=r"\.env:2: expected KEY=VALUE"):
        load_settings({}, dotenv=dotenv)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/residence", "postgresql+asyncpg://u:p@db/residence"),
        ("postgresql://u@db:5433/residence", "postgresql+asyncpg://u@db:5433/residence"),
        ("postgresql+asyncpg://u@db/residence", "postgresql+asyncpg://u@db/residence"),
        ("sqlite:///data/residence.db", "sqlite+aiosqlite:///data/residence.db"),
    ],
)
def test_database_urls_get_their_async_driver(given: str, expected: str) -> None:
    settings = load_settings({"DATABASE_URL": given}, dotenv=None)

    assert settings.database_url == expected
    assert settings.uses_sqlite is expected.startswith("sqlite")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://u@db/residence"),
        ("DATABASE_URL", "residence.db"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("REDIS_URL", "redis://127.0.0.1:notaport"),
        ("SMTP_URL", "mail.example.edu:587"),
        ("ADMIN_EMAIL", "warden-at-example.edu"),
        ("SECRET_KEY", "too-short"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_POOL_SIZE", "many"),
        ("LOG_LEVEL", "CHATTY"),
        ("SMTP_TIMEOUT_SECONDS", "0"),
        ("SMTP_TIMEOUT_SECONDS", "2.5"),
        ("SMS_GATEWAY_URL", "sms.example.edu/send"),
        ("SMS_GATEWAY_URL", "ftp://sms.example.edu/send"),
        ("SMS_GATEWAY_URL", "https://sms.example.edu:port/send"),
        ("SMS_GATEWAY_FORMAT", "xml"),
        ("IDEMPOTENCY_KEY_HOURS", "0"),
    ],
)
def test_a_bad_variable_is_named_first_in_the_error(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value}, dotenv=None)

    assert str(raised.value).startswith(f"{variable}: ")


def test_valid_optional_services_are_kept() -> None:
    settings = load_settings(
        {
            "REDIS_URL": "rediss://cache.example.edu:6380/0",
            "SMTP_URL": "smtp://mailer:secret@mail.example.edu:587",
            "SECRET_KEY": "k" * 32,
            "DATABASE_POOL_SIZE": "25",
        },
        dotenv=None,
    )

    assert settings.redis_url == "rediss://cache.example.edu:6380/0"
    assert settings.smtp_url == "smtp://mailer:secret@mail.example.edu:587"
    assert settings.secret_key == "k" * 32
    assert settings.database_pool_size == 25


def test_mail_and_sms_default_to_the_outbox_folder() -> None:
    settings = load_settings({}, dotenv=None)

    assert settings.mail_transport == "outbox"
    assert settings.sms_transport == "outbox"
    assert settings.smtp_timeout_seconds == 30
    assert settings.sms_gateway_url is None
    assert settings.sms_gateway_token is None
    assert settings.sms_gateway_format == "json"


def test_smtp_and_an_sms_gateway_are_chosen_by_their_urls() -> None:
    settings = load_settings(
        {
            "SMTP_URL": "smtps://mailer:secret@mail.example.edu",
            "SMTP_TIMEOUT_SECONDS": "12",
            "SMS_GATEWAY_URL": "https://sms.example.edu/v1/messages",
            "SMS_GATEWAY_TOKEN": "gateway-token",
            "SMS_GATEWAY_FORMAT": "Form",
        },
        dotenv=None,
    )

    assert settings.mail_transport == "smtp"
    assert settings.smtp_timeout_seconds == 12
    assert settings.sms_transport == "http"
    assert settings.sms_gateway_url == "https://sms.example.edu/v1/messages"
    assert settings.sms_gateway_token == "gateway-token"
    assert settings.sms_gateway_format == "form"


def test_a_malformed_url_error_never_repeats_its_password() -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({"SMTP_URL": "http://mailer:s3cret-pass@mail.example.edu:587"}, dotenv=None)

    message = str(raised.value)
    assert message.startswith("SMTP_URL")
    assert "s3cret-pass" not in message
    assert "mailer:***@mail.example.edu" in message


def test_every_variable_read_is_listed_and_documented() -> None:
    source = Path(settings_module.__file__).read_text(encoding="utf-8")
    read = set(re.findall(r'(?:values\.get\(|_number\(\s*values,\s*)"([A-Z][A-Z0-9_]+)"', source))
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

    assert read == set(VARIABLES)
    assert [name for name in VARIABLES if f"`{name}`" not in readme] == []


def test_storage_defaults_to_a_folder_under_var_dir_and_takes_s3(tmp_path: Path) -> None:
    local = load_settings({"VAR_DIR": str(tmp_path)}, dotenv=None)
    s3 = load_settings(
        {
            "STORAGE_URL": "s3://campus-backups/residence/nightly",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
        },
        dotenv=None,
    )

    assert (local.storage_backend, local.storage_dir) == ("local", tmp_path / "storage")
    assert (s3.storage_backend, s3.s3_bucket, s3.s3_prefix) == (
        "s3",
        "campus-backups",
        "residence/nightly",
    )
    assert local.directory_source == "none"
    assert (local.backup_cron, local.backup_keep_daily, local.backup_keep_weekly) == (
        "0 3 * * *",
        7,
        4,
    )


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"STORAGE_URL": "ftp://host/x"}, "STORAGE_URL"),
        ({"STORAGE_URL": "s3://bucket/prefix"}, "S3_ACCESS_KEY_ID"),
        ({"BACKUP_CRON": "every night"}, "BACKUP_CRON"),
        ({"SYNC_CRON": "0 3 * *"}, "SYNC_CRON"),
        ({"SYNC_ABSENCE_RUNS": "0"}, "SYNC_ABSENCE_RUNS"),
        ({"DIRECTORY_FEED_URL": "sis.example.edu/students"}, "DIRECTORY_FEED_URL"),
    ],
)
def test_bad_backup_and_sync_settings_name_their_variable(
    variables: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(variables, dotenv=None)

    assert str(raised.value).startswith(named)
