"""One typed settings object, read once from the environment and an optional `.env` file.

The defaults are the embedded mode: a SQLite file and an outbox folder under `./var/`, and the
in-process task broker. Production sets DATABASE_URL (PostgreSQL) and REDIS_URL."""

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

# HS256 keys shorter than the hash output (32 bytes) weaken the signature (RFC 7518, 3.2).
MIN_SECRET_KEY_LENGTH = 32


# Every variable load_settings reads. Tests strip them all from the environments of the
# processes they start, so that a developer's own configuration never leaks into a test;
# tests/unit/test_settings.py fails when one is read but missing here or from README.md.
VARIABLES = (
    "DATABASE_URL",
    "DATABASE_POOL_SIZE",
    "REDIS_URL",
    "SECRET_KEY",
    "PUBLIC_URL",
    "SMTP_URL",
    "SMTP_TIMEOUT_SECONDS",
    "MAIL_FROM",
    "ADMIN_EMAIL",
    "SMS_GATEWAY_URL",
    "SMS_GATEWAY_TOKEN",
    "SMS_GATEWAY_FORMAT",
    "VAR_DIR",
    "OUTBOX_DIR",
    "LOG_LEVEL",
    "LOG_FORMAT",
    "METRICS_TOKEN",
    "IMPORT_MAX_BYTES",
    "ACCESS_TOKEN_MINUTES",
    "REFRESH_TOKEN_DAYS",
    "TOKEN_ISSUER",
    "TOKEN_AUDIENCE",
    "ALLOWED_HOSTS",
    "CORS_ORIGINS",
    "TRUSTED_PROXIES",
    "LOGIN_FAILURES_PER_ACCOUNT",
    "LOGIN_FAILURES_PER_ADDRESS",
    "LOGIN_WINDOW_MINUTES",
    "HOLD_MINUTES",
    "TASK_REDELIVERY_SECONDS",
    "IMPORT_STALLED_MINUTES",
    "STORAGE_URL",
    "S3_ENDPOINT_URL",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_REGION",
    "BACKUP_CRON",
    "BACKUP_KEEP_DAILY",
    "BACKUP_KEEP_WEEKLY",
    "DIRECTORY_DROP_DIR",
    "DIRECTORY_FEED_URL",
    "DIRECTORY_FEED_TOKEN",
    "SYNC_CRON",
    "SYNC_ABSENCE_RUNS",
    "PAYMENT_WEBHOOK_SECRET",
    "PAYMENT_WEBHOOK_TOLERANCE_SECONDS",
    "IDEMPOTENCY_KEY_HOURS",
    "MAINTENANCE_SLA_EMERGENCY_HOURS",
    "MAINTENANCE_SLA_HIGH_HOURS",
    "MAINTENANCE_SLA_ROUTINE_BUSINESS_DAYS",
    "MAINTENANCE_SLA_LOW_BUSINESS_DAYS",
    "MAINTENANCE_AUTO_CLOSE_DAYS",
    "MAINTENANCE_HOURLY_RATE",
    "MAINTENANCE_CURRENCY",
)


class SettingsError(ValueError):
    """A variable is missing or malformed; the message starts with the variable's name."""


@dataclass(frozen=True, slots=True)
class Settings:
    database_url: str
    redis_url: str | None
    secret_key: str | None
    smtp_url: str | None
    admin_email: str | None
    mail_from: str
    var_dir: Path
    outbox_dir: Path
    database_pool_size: int
    log_level: str
    # How long a task message may sit unacknowledged, its worker no longer renewing its claim,
    # before another worker takes it over.
    task_redelivery_seconds: int
    log_format: str
    # A static bearer token for Prometheus scrapers; admins' access tokens work as well.
    metrics_token: str | None
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    token_issuer: str = "campus-residence"
    token_audience: str = "campus-residence-api"
    allowed_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "[::1]")
    cors_origins: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    login_failures_per_account: int = 5
    login_failures_per_address: int = 50
    login_window_minutes: int = 15
    # Where people reach the system: the sign-in link in account emails.
    public_url: str = "http://localhost:8000"
    smtp_timeout_seconds: int = 30
    sms_gateway_url: str | None = None
    sms_gateway_token: str | None = None
    sms_gateway_format: str = "json"
    # Uploads of voter rolls and resident lists; larger ones answer 413.
    import_max_bytes: int = 200 * 1024 * 1024
    # How long a bed allocated to a request waits for its payment before it is released.
    hold_minutes: int = 30
    # An import whose job has not moved for this long lost its task: imports.resume requeues it.
    import_stalled_minutes: int = 10
    # Backups and other files: a local folder (the default, $VAR_DIR/storage) or S3.
    storage_url: str = "file://var/storage"
    s3_endpoint_url: str | None = None
    s3_access_key_id: str = ""
    s3_secret_access_key: str = ""
    s3_region: str = "us-east-1"
    backup_cron: str = "0 3 * * *"
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    # The student directory: a folder of dropped files, or an HTTP JSON feed; neither, no sync.
    directory_drop_dir: Path | None = None
    directory_feed_url: str | None = None
    directory_feed_token: str | None = None
    sync_cron: str = "30 2 * * *"
    sync_absence_runs: int = 3
    # The key the payment gateway signs its webhooks with; unset: derived from SECRET_KEY.
    payment_webhook_secret: str | None = None
    payment_webhook_tolerance_seconds: int = 300
    # How long a retried request with the same Idempotency-Key gets the first response again.
    idempotency_key_hours: int = 24
    # Maintenance: SLA allowances per priority, days before resolved work closes by itself,
    # and the labour rate of cost estimates.
    maintenance_sla_emergency_hours: int = 4
    maintenance_sla_high_hours: int = 24
    maintenance_sla_routine_business_days: int = 3
    maintenance_sla_low_business_days: int = 10
    maintenance_auto_close_days: int = 7
    maintenance_hourly_rate: str = "40.00"
    maintenance_currency: str = "EUR"

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def task_broker(self) -> str:
        """The container picks the broker adapter by this key: Redis streams when REDIS_URL is
        set, otherwise the in-process broker of the embedded mode."""
        return "in_process" if self.redis_url is None else "redis"

    @property
    def shared_state(self) -> str:
        """Where API processes share short-lived state (login throttling): Redis when
        REDIS_URL is set, otherwise the database."""
        return "database" if self.redis_url is None else "redis"

    @property
    def mail_transport(self) -> str:
        """The container picks the mailer by this key: SMTP when SMTP_URL is set, otherwise
        `.eml` files in the outbox folder of the embedded mode."""
        return "outbox" if self.smtp_url is None else "smtp"

    @property
    def sms_transport(self) -> str:
        """The container picks the SMS sender by this key: the HTTP gateway when
        SMS_GATEWAY_URL is set, otherwise `sms.jsonl` in the outbox folder."""
        return "outbox" if self.sms_gateway_url is None else "http"

    @property
    def storage_backend(self) -> str:
        """The container picks the file storage by this key: `s3` for s3:// URLs, else a folder."""
        return "s3" if self.storage_url.startswith("s3://") else "local"

    @property
    def storage_dir(self) -> Path:
        return Path(self.storage_url.removeprefix("file://"))

    @property
    def s3_bucket(self) -> str:
        return urlsplit(self.storage_url).netloc

    @property
    def s3_prefix(self) -> str:
        return urlsplit(self.storage_url).path.strip("/")

    @property
    def directory_source(self) -> str:
        """The container picks the student directory by this key; `none`: sync is off."""
        if self.directory_feed_url is not None:
            return "http"
        return "none" if self.directory_drop_dir is None else "files"

    @property
    def sqlite_path(self) -> Path | None:
        if not self.uses_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1]
        return None if path in ("", ":memory:") else Path(path)


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines; `#` starts a comment line; values may be quoted."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, separator, value = line.removeprefix("export ").partition("=")
        if not separator or not key.strip():
            raise SettingsError(f"{path}:{number}: expected KEY=VALUE")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def _database_url(raw: str) -> str:
    scheme, _, rest = raw.partition("://")
    if not rest:
        raise SettingsError(f"DATABASE_URL: {raw!r} is not a URL like postgresql://user@host/db")
    drivers = {
        "sqlite": "sqlite+aiosqlite",
        "sqlite+aiosqlite": "sqlite+aiosqlite",
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
        "postgresql+asyncpg": "postgresql+asyncpg",
    }
    if scheme not in drivers:
        raise SettingsError(
            f"DATABASE_URL: scheme {scheme!r} is not supported; use sqlite or postgresql"
        )
    return f"{drivers[scheme]}://{rest}"


def _without_password(raw: str) -> str:
    """Error messages end up in logs: never repeat a password found in a URL."""
    parts = urlsplit(raw)
    if parts.password is None:
        return raw
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def _url(name: str, raw: str | None, schemes: tuple[str, ...]) -> str | None:
    if not raw:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.hostname:
        shown = _without_password(raw)
        raise SettingsError(f"{name}: {shown!r} is not a URL like {schemes[0]}://host:port")
    try:
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from error
    return raw


def _email(name: str, raw: str | None) -> str | None:
    if not raw:
        return None
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", raw):
        raise SettingsError(f"{name}: {raw!r} is not an email address")
    return raw


def _positive_int(name: str, raw: str) -> int:
    if not raw.isdigit() or int(raw) < 1:
        raise SettingsError(f"{name}: expected a positive whole number, got {raw!r}")
    return int(raw)


def _number(values: Mapping[str, str], name: str, default: int) -> int:
    """A positive whole number setting, `default` when unset."""
    return _positive_int(name, values.get(name) or str(default))


def _list(raw: str | None, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    if raw is None:
        return default
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _networks(name: str, raw: str | None) -> tuple[str, ...]:
    items = _list(raw)
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as error:
            raise SettingsError(f"{name}: {item!r} is not an IP address or network") from error
    return items


def _origins(name: str, raw: str | None) -> tuple[str, ...]:
    items = _list(raw)
    for origin in items:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise SettingsError(f"{name}: {origin!r} is not an origin like https://app.example.edu")
    return tuple(origin.rstrip("/") for origin in items)


def _security(values: Mapping[str, str]) -> dict[str, object]:
    return {
        "access_token_minutes": _number(values, "ACCESS_TOKEN_MINUTES", 15),
        "refresh_token_days": _number(values, "REFRESH_TOKEN_DAYS", 14),
        "token_issuer": values.get("TOKEN_ISSUER") or "campus-residence",
        "token_audience": values.get("TOKEN_AUDIENCE") or "campus-residence-api",
        "allowed_hosts": _list(values.get("ALLOWED_HOSTS"), ("localhost", "127.0.0.1", "[::1]")),
        "cors_origins": _origins("CORS_ORIGINS", values.get("CORS_ORIGINS")),
        "trusted_proxies": _networks("TRUSTED_PROXIES", values.get("TRUSTED_PROXIES")),
        "login_failures_per_account": _number(values, "LOGIN_FAILURES_PER_ACCOUNT", 5),
        "login_failures_per_address": _number(values, "LOGIN_FAILURES_PER_ADDRESS", 50),
        "login_window_minutes": _number(values, "LOGIN_WINDOW_MINUTES", 15),
    }


def _notifications(values: Mapping[str, str]) -> dict[str, object]:
    sms_format = (values.get("SMS_GATEWAY_FORMAT") or "json").lower()
    if sms_format not in {"json", "form"}:
        raise SettingsError(f"SMS_GATEWAY_FORMAT: expected json or form, got {sms_format!r}")
    return {
        "smtp_timeout_seconds": _positive_int(
            "SMTP_TIMEOUT_SECONDS", values.get("SMTP_TIMEOUT_SECONDS") or "30"
        ),
        "sms_gateway_url": _url(
            "SMS_GATEWAY_URL", values.get("SMS_GATEWAY_URL"), ("https", "http")
        ),
        "sms_gateway_token": values.get("SMS_GATEWAY_TOKEN") or None,
        "sms_gateway_format": sms_format,
    }


_CRON_FIELD = re.compile(r"(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*")


def _cron(name: str, raw: str) -> str:
    fields = raw.split()
    if len(fields) != 5 or not all(_CRON_FIELD.fullmatch(field) for field in fields):
        raise SettingsError(f"{name}: {raw!r} is not a cron expression like '0 3 * * *'")
    return " ".join(fields)


def _storage_url(raw: str | None, var_dir: Path) -> str:
    if not raw:
        return f"file://{var_dir / 'storage'}"
    parts = urlsplit(raw)
    if parts.scheme == "s3" and parts.netloc:
        return raw
    if parts.scheme == "file" and len(raw) > len("file://"):
        return raw
    raise SettingsError(f"STORAGE_URL: {raw!r} is not like file:///path or s3://bucket/prefix")


def _backups_and_sync(values: Mapping[str, str], var_dir: Path) -> dict[str, object]:
    storage_url = _storage_url(values.get("STORAGE_URL"), var_dir)
    if storage_url.startswith("s3://") and not (
        values.get("S3_ACCESS_KEY_ID") and values.get("S3_SECRET_ACCESS_KEY")
    ):
        raise SettingsError("S3_ACCESS_KEY_ID: an s3:// STORAGE_URL needs the key and its secret")
    drop_dir = values.get("DIRECTORY_DROP_DIR")
    return {
        "storage_url": storage_url,
        "s3_endpoint_url": _url(
            "S3_ENDPOINT_URL", values.get("S3_ENDPOINT_URL"), ("https", "http")
        ),
        "s3_access_key_id": values.get("S3_ACCESS_KEY_ID") or "",
        "s3_secret_access_key": values.get("S3_SECRET_ACCESS_KEY") or "",
        "s3_region": values.get("S3_REGION") or "us-east-1",
        "backup_cron": _cron("BACKUP_CRON", values.get("BACKUP_CRON") or "0 3 * * *"),
        "backup_keep_daily": _number(values, "BACKUP_KEEP_DAILY", 7),
        "backup_keep_weekly": _number(values, "BACKUP_KEEP_WEEKLY", 4),
        "directory_drop_dir": Path(drop_dir) if drop_dir else None,
        "directory_feed_url": _url(
            "DIRECTORY_FEED_URL", values.get("DIRECTORY_FEED_URL"), ("https", "http")
        ),
        "directory_feed_token": values.get("DIRECTORY_FEED_TOKEN") or None,
        "sync_cron": _cron("SYNC_CRON", values.get("SYNC_CRON") or "30 2 * * *"),
        "sync_absence_runs": _number(values, "SYNC_ABSENCE_RUNS", 3),
    }


def _maintenance(values: Mapping[str, str]) -> dict[str, object]:
    rate = values.get("MAINTENANCE_HOURLY_RATE") or "40.00"
    if not re.fullmatch(r"\d{1,6}(\.\d{1,2})?", rate):
        raise SettingsError(f"MAINTENANCE_HOURLY_RATE: expected an amount like 40.00, got {rate!r}")
    currency = (values.get("MAINTENANCE_CURRENCY") or "EUR").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise SettingsError(f"MAINTENANCE_CURRENCY: expected an ISO 4217 code, got {currency!r}")
    return {
        "maintenance_sla_emergency_hours": _number(values, "MAINTENANCE_SLA_EMERGENCY_HOURS", 4),
        "maintenance_sla_high_hours": _number(values, "MAINTENANCE_SLA_HIGH_HOURS", 24),
        "maintenance_sla_routine_business_days": _number(
            values, "MAINTENANCE_SLA_ROUTINE_BUSINESS_DAYS", 3
        ),
        "maintenance_sla_low_business_days": _number(
            values, "MAINTENANCE_SLA_LOW_BUSINESS_DAYS", 10
        ),
        "maintenance_auto_close_days": _number(values, "MAINTENANCE_AUTO_CLOSE_DAYS", 7),
        "maintenance_hourly_rate": rate,
        "maintenance_currency": currency,
    }


def load_settings(
    environ: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
) -> Settings:
    """Environment variables win over `.env`; `.env` wins over the defaults."""
    values = {
        **(read_dotenv(dotenv) if dotenv else {}),
        **(os.environ if environ is None else environ),
    }
    var_dir = Path(values.get("VAR_DIR") or "var")
    log_level = (values.get("LOG_LEVEL") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError(f"LOG_LEVEL: expected DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    log_format = (values.get("LOG_FORMAT") or "text").lower()
    if log_format not in {"text", "json"}:
        raise SettingsError(f"LOG_FORMAT: expected text or json, got {log_format!r}")
    metrics_token = values.get("METRICS_TOKEN") or None
    if metrics_token is not None and len(metrics_token) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError(f"METRICS_TOKEN: must be at least {MIN_SECRET_KEY_LENGTH} characters")
    secret_key = values.get("SECRET_KEY") or None
    if secret_key is not None and len(secret_key) < MIN_SECRET_KEY_LENGTH:
        raise SettingsError(f"SECRET_KEY: must be at least {MIN_SECRET_KEY_LENGTH} characters")
    return Settings(
        database_url=_database_url(
            values.get("DATABASE_URL") or f"sqlite+aiosqlite:///{var_dir / 'residence.db'}"
        ),
        redis_url=_url("REDIS_URL", values.get("REDIS_URL"), ("redis", "rediss")),
        secret_key=secret_key,
        smtp_url=_url("SMTP_URL", values.get("SMTP_URL"), ("smtp", "smtps")),
        admin_email=_email("ADMIN_EMAIL", values.get("ADMIN_EMAIL")),
        mail_from=values.get("MAIL_FROM") or "Campus Residence <residence@localhost>",
        var_dir=var_dir,
        outbox_dir=Path(values.get("OUTBOX_DIR") or var_dir / "outbox"),
        database_pool_size=_positive_int(
            "DATABASE_POOL_SIZE", values.get("DATABASE_POOL_SIZE") or "10"
        ),
        log_level=log_level,
        log_format=log_format,
        metrics_token=metrics_token,
        import_max_bytes=_positive_int(
            "IMPORT_MAX_BYTES", values.get("IMPORT_MAX_BYTES") or str(200 * 1024 * 1024)
        ),
        public_url=_url("PUBLIC_URL", values.get("PUBLIC_URL"), ("https", "http"))
        or "http://localhost:8000",
        hold_minutes=_positive_int("HOLD_MINUTES", values.get("HOLD_MINUTES") or "30"),
        task_redelivery_seconds=_positive_int(
            "TASK_REDELIVERY_SECONDS", values.get("TASK_REDELIVERY_SECONDS") or "60"
        ),
        import_stalled_minutes=_positive_int(
            "IMPORT_STALLED_MINUTES", values.get("IMPORT_STALLED_MINUTES") or "10"
        ),
        payment_webhook_secret=values.get("PAYMENT_WEBHOOK_SECRET") or None,
        payment_webhook_tolerance_seconds=_positive_int(
            "PAYMENT_WEBHOOK_TOLERANCE_SECONDS",
            values.get("PAYMENT_WEBHOOK_TOLERANCE_SECONDS") or "300",
        ),
        idempotency_key_hours=_positive_int(
            "IDEMPOTENCY_KEY_HOURS", values.get("IDEMPOTENCY_KEY_HOURS") or "24"
        ),
        **_security(values),  # type: ignore[arg-type]
        **_notifications(values),  # type: ignore[arg-type]
        **_backups_and_sync(values, var_dir),  # type: ignore[arg-type]
        **_maintenance(values),  # type: ignore[arg-type]
    )
