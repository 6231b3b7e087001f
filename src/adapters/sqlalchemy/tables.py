"""The one MetaData of the database. Migrations in `migrations/` are written to match it."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    false,
    text,
    true,
)

from adapters.sqlalchemy.types import JsonList, JsonObject, UtcDateTime, utc_now

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _timestamps() -> list[Column[object]]:
    return [
        Column("created_at", UtcDateTime(), nullable=False, default=utc_now),
        Column("updated_at", UtcDateTime(), nullable=False, default=utc_now, onupdate=utc_now),
    ]


buildings = Table(
    "buildings",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("code", String(16), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("address", String(300), nullable=False),
    Column("floors", Integer(), nullable=False),
    Column("gender_policy", String(20), nullable=False),
    Column("amenities", JsonList, nullable=False),
    Column("active", Boolean(), nullable=False),
    *_timestamps(),
    CheckConstraint("floors BETWEEN 1 AND 200", name="floors_range"),
)

rooms = Table(
    "rooms",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("building_id", Uuid(), ForeignKey("buildings.id"), nullable=False),
    Column("number", String(16), nullable=False),
    Column("floor", Integer(), nullable=False),
    Column("type", String(10), nullable=False),
    Column("accessible", Boolean(), nullable=False),
    Column("features", JsonList, nullable=False),
    Column("status", String(10), nullable=False),
    # Integer cents: exact on both engines (SQLite has no true decimal type).
    Column("nightly_rate_cents", BigInteger(), nullable=False),
    Column("currency", String(3), nullable=False),
    *_timestamps(),
    UniqueConstraint("building_id", "number"),
    CheckConstraint("nightly_rate_cents >= 0", name="rate_not_negative"),
)

beds = Table(
    "beds",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("room_id", Uuid(), ForeignKey("rooms.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(8), nullable=False),
    Column("active", Boolean(), nullable=False),
    *_timestamps(),
    UniqueConstraint("room_id", "label"),
)

residents = Table(
    "residents",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("student_id", String(32), nullable=False, unique=True),
    Column("first_name", String(100), nullable=False),
    Column("last_name", String(100), nullable=False),
    Column("email", String(254), nullable=False, unique=True),
    Column("phone", String(16)),
    Column("gender", String(20), nullable=False),
    Column("date_of_birth", Date()),
    Column("department", String(100)),
    Column("year_of_study", Integer()),
    Column("status", String(10), nullable=False),
    Column("needs_accessible_room", Boolean(), nullable=False),
    Column("accessibility_notes", Text()),
    Column("emergency_contact_name", String(200)),
    Column("emergency_contact_phone", String(16)),
    Column("emergency_contact_relationship", String(50)),
    # Contact preferences: whether announcements may reach the resident by email and by SMS.
    Column("email_opt_in", Boolean(), nullable=False, server_default=true()),
    Column("sms_opt_in", Boolean(), nullable=False, server_default=false()),
    # Fields the directory sync must not overwrite: the office corrected them by hand.
    Column("locked_fields", JsonList, nullable=False, server_default=text("'[]'")),
    *_timestamps(),
    Index(None, "last_name", "first_name"),
    Index(None, "status"),
)

terms = Table(
    "terms",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("starts_on", Date(), nullable=False),
    Column("ends_on", Date(), nullable=False),
    *_timestamps(),
    CheckConstraint("ends_on > starts_on", name="half_open_range"),
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", String(255), nullable=False),
    # Deleting a resident's record removes the account that exists only to reach it.
    Column("resident_id", Uuid(), ForeignKey("residents.id", ondelete="CASCADE"), unique=True),
    Column("active", Boolean(), nullable=False),
    Column("tokens_valid_after", UtcDateTime()),
    *_timestamps(),
)

refresh_tokens = Table(
    "refresh_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Uuid(), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", Uuid(), nullable=False),
    Column("expires_at", UtcDateTime(), nullable=False),
    Column("revoked_at", UtcDateTime()),
    Column("created_at", UtcDateTime(), nullable=False, default=utc_now),
    Index(None, "user_id"),
    Index(None, "family_id"),
)

revoked_access_tokens = Table(
    "revoked_access_tokens",
    metadata,
    Column("token_id", String(64), primary_key=True),
    # Kept until the token would have expired anyway; older rows can be pruned.
    Column("expires_at", UtcDateTime(), nullable=False),
)

audit_entries = Table(
    "audit_entries",
    metadata,
    # SQLite autoincrements only an INTEGER primary key.
    Column(
        "id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    ),
    Column("at", UtcDateTime(), nullable=False),
    # No foreign key: the trail must outlive the accounts it names.
    Column("actor_id", Uuid()),
    Column("action", String(20), nullable=False),
    Column("entity", String(50), nullable=False),
    Column("entity_id", String(64)),
    Column("changed_fields", JsonList, nullable=False),
    Index(None, "entity", "at"),
    Index(None, "actor_id", "at"),
    Index(None, "at"),
)

login_failures = Table(
    "login_failures",
    metadata,
    # One counter per throttle key ("account:<email>", "address:<ip>") and fixed time window.
    Column("key", String(300), primary_key=True),
    Column("window_start", UtcDateTime(), primary_key=True),
    Column("failures", Integer(), nullable=False),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("state", String(10), nullable=False),
    Column("payload", JsonObject, nullable=False),
    # No foreign key: a job outlives the account that started it, and only access checks read it.
    Column("created_by", Uuid()),
    Column("processed", BigInteger(), nullable=False),
    Column("total", BigInteger()),
    Column("result", JsonObject),
    Column("error", Text()),
    Column("attempts", Integer(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("started_at", UtcDateTime()),
    Column("finished_at", UtcDateTime()),
    # What a running job is doing now, in its own words (an import: reading, validating...).
    Column("phase", String(20)),
    Index(None, "created_by", "created_at"),
    CheckConstraint("state IN ('queued', 'running', 'succeeded', 'failed')", name="state_known"),
    CheckConstraint(
        "processed >= 0 AND (total IS NULL OR processed <= total)", name="progress_within_total"
    ),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("channel", String(10), nullable=False),
    Column("recipient_address", String(254), nullable=False),
    Column("recipient_name", String(200)),
    Column("data", JsonObject, nullable=False),
    # No foreign key: "user:<id>", "announcement:<id>", ... name records of any context.
    Column("source", String(100)),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer(), nullable=False),
    Column("next_attempt_at", UtcDateTime(), nullable=False),
    Column("claimed_until", UtcDateTime()),
    Column("last_error", Text()),
    Column("sent_at", UtcDateTime()),
    *_timestamps(),
    # The relay's two questions: what is queued and due, oldest first (state, next_attempt_at),
    # and whose lease has run out (only `sending` rows have a claimed_until).
    Index(None, "state", "next_attempt_at"),
    Index(None, "claimed_until"),
    Index(None, "source"),
    CheckConstraint("state IN ('queued', 'sending', 'sent', 'failed')", name="state_known"),
    CheckConstraint("channel IN ('email', 'sms')", name="channel_known"),
    CheckConstraint("(state = 'sending') = (claimed_until IS NOT NULL)", name="lease_when_sending"),
    CheckConstraint("attempts >= 0", name="attempts_not_negative"),
)

# Two active bookings may not overlap on one bed, nor on one resident. The rule lives in the
# database, where concurrent requests cannot slip past it, and is written by hand in the
# migration (autogenerate sees neither): on PostgreSQL exclusion constraints over
# daterange(starts_on, ends_on) for the active states; on SQLite triggers that refuse such a row.
BOOKING_STATES = (
    "requested",
    "waitlisted",
    "held",
    "confirmed",
    "checked_in",
    "checked_out",
    "cancelled",
    "expired",
    "rejected",
)
bookings = Table(
    "bookings",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("resident_id", Uuid(), ForeignKey("residents.id"), nullable=False),
    Column("bed_id", Uuid(), ForeignKey("beds.id")),
    Column("state", String(12), nullable=False),
    Column("starts_on", Date(), nullable=False),
    Column("ends_on", Date(), nullable=False),
    Column("term_id", Uuid(), ForeignKey("terms.id")),
    # What was asked for; no foreign keys: a request outlives the room it named.
    Column("requested_bed_id", Uuid()),
    Column("requested_room_id", Uuid()),
    Column("preferred_building_id", Uuid()),
    Column("preferred_room_type", String(10)),
    Column("preferred_accessible", Boolean()),
    Column("hold_expires_at", UtcDateTime()),
    Column("waitlisted_at", UtcDateTime()),
    Column("checked_in_on", Date()),
    Column("checked_out_on", Date()),
    Column("reason", Text()),
    Column("requested_at", UtcDateTime(), nullable=False),
    # No foreign key: jobs may be purged long before the booking's history is.
    Column("job_id", Uuid()),
    *_timestamps(),
    Index(None, "bed_id", "starts_on"),
    Index(None, "resident_id", "starts_on"),
    Index(None, "state", "waitlisted_at"),
    CheckConstraint("ends_on > starts_on", name="half_open_stay"),
    CheckConstraint(
        "state IN (" + ", ".join(f"'{state}'" for state in BOOKING_STATES) + ")",
        name="state_known",
    ),
    CheckConstraint(
        "state NOT IN ('held', 'confirmed', 'checked_in') OR bed_id IS NOT NULL",
        name="active_has_bed",
    ),
    CheckConstraint("state <> 'held' OR hold_expires_at IS NOT NULL", name="hold_has_deadline"),
)

announcements = Table(
    "announcements",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text(), nullable=False),
    Column("audience", String(20), nullable=False),
    # No foreign keys: the record of what was announced outlives the building or residents.
    Column("building_id", Uuid()),
    Column("floor", Integer()),
    Column("resident_ids", JsonList, nullable=False),
    Column("channels", JsonList, nullable=False),
    Column("state", String(12), nullable=False),
    Column("job_id", Uuid()),
    Column("created_by", Uuid()),
    # The fan-out's progress: residents are visited in id order, `cursor` is the last one done.
    Column("cursor", Uuid()),
    Column("recipients", Integer(), nullable=False),
    Column("messages", Integer(), nullable=False),
    Column("skipped", Integer(), nullable=False),
    Column("finished_at", UtcDateTime()),
    *_timestamps(),
    Index(None, "created_at"),
    Index(None, "state"),
    CheckConstraint(
        "audience IN ('all_residents', 'building', 'floor', 'residents')", name="audience_known"
    ),
    CheckConstraint("state IN ('fanning_out', 'fanned_out')", name="state_known"),
)

# The voter roll. `last_import_id` is the import that last matched the row: `replace` removes the
# voters its import did not match.
voters = Table(
    "voters",
    metadata,
    Column("student_id", String(64), primary_key=True),
    Column("first_name", String(200)),
    Column("last_name", String(200)),
    Column("email", String(254), nullable=False, unique=True),
    Column("department", String(200)),
    Column("year", Integer()),
    Column("is_eligible", Boolean(), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("last_import_id", Uuid()),
    Index(None, "department"),
    CheckConstraint("year IS NULL OR year BETWEEN 1 AND 10", name="year_range"),
)

# One row per import; its id is the id of the job that runs it (no foreign key: jobs and imports
# are read separately, and a job record may be pruned before the import's report).
imports = Table(
    "imports",
    metadata,
    Column("id", Uuid(), primary_key=True),
    Column("kind", String(10), nullable=False),
    Column("mode", String(10), nullable=False),
    Column("dry_run", Boolean(), nullable=False),
    Column("default_eligible", Boolean(), nullable=False),
    Column("file_path", Text(), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_size", BigInteger(), nullable=False),
    Column("file_type", String(10), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", Uuid()),
    Column("uploader_email", String(254)),
    Column("report", JsonObject),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime()),
    # The workbook's sheet to read (None: the first one; CSV files have one table).
    Column("sheet", String(255)),
    # The file's header row as typed: the first row of rejected.csv.
    Column("header", JsonList),
    # How many times a lost run was handed to a worker again (imports.resume).
    Column("resumes", Integer(), nullable=False, server_default="0"),
    Column("resumed_at", UtcDateTime()),
    Index(None, "sha256", "created_at"),
    Index(None, "created_at"),
    CheckConstraint("kind IN ('voters', 'residents')", name="kind_known"),
    CheckConstraint("mode IN ('upsert', 'append', 'replace')", name="mode_known"),
)

# What each committed chunk of an import did, so that a restarted run skips it with its counts.
import_chunks = Table(
    "import_chunks",
    metadata,
    Column("import_id", Uuid(), ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    Column("chunk", Integer(), primary_key=True),
    Column("created", Integer(), nullable=False),
    Column("updated", Integer(), nullable=False),
    Column("unchanged", Integer(), nullable=False),
    Column("skipped", Integer(), nullable=False),
    Column("rejected", JsonList, nullable=False),
)

# Every problem of an import: what errors.csv lists.
import_problems = Table(
    "import_problems",
    metadata,
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("import_id", Uuid(), ForeignKey("imports.id", ondelete="CASCADE"), nullable=False),
    Column("line", Integer(), nullable=False),
    Column("column_name", String(300), nullable=False),
    Column("value", Text(), nullable=False),
    Column("message", Text(), nullable=False),
    Index(None, "import_id", "line"),
)

# Every rejected row of an import with its cells as the file had them: what rejected.csv lists.
import_rejected_rows = Table(
    "import_rejected_rows",
    metadata,
    Column("import_id", Uuid(), ForeignKey("imports.id", ondelete="CASCADE"), primary_key=True),
    Column("line", Integer(), primary_key=True),
    Column("cells", JsonList, nullable=False),
    Column("error", Text(), nullable=False),
)

# A retried POST with the same `Idempotency-Key` gets the first response again (see
# application.shared.idempotency). A key is scoped to its caller and operation.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(100), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("claimed_at", UtcDateTime(), nullable=False),
    # Null while the first request runs.
    Column("response_status", Integer()),
    Column("response_body", LargeBinary()),
    *_timestamps(),
    Index(None, "created_at"),
)

# One row per scheduled firing: two schedulers that fire one schedule in the same slot race on
# the primary key, and only the winner kicks the task.
schedule_claims = Table(
    "schedule_claims",
    metadata,
    Column("schedule_id", String(100), primary_key=True),
    Column("slot", UtcDateTime(), primary_key=True),
    Column("claimed_by", String(100), nullable=False),
    Index(None, "slot"),
)

# The tables of later contexts live in modules of their own, which put them on `metadata` when
# imported; importing them here lets the migrations and the tests see every table.
timestamp_columns = _timestamps
import adapters.sqlalchemy.backups_tables  # noqa: E402
import adapters.sqlalchemy.bookings.tables  # noqa: E402
import adapters.sqlalchemy.maintenance.tables  # noqa: E402
import adapters.sqlalchemy.payments.tables  # noqa: E402, F401
