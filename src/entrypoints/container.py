"""The composition root: the only module that names concrete adapters.

Each context's use cases live in a sub-container that receives its ports as dependencies, so the
HTTP app, the worker, the CLI and the tests all get the same use cases, wired to whichever
adapters the configuration (or a test's overrides) selects."""

from datetime import timedelta

from dependency_injector import containers, providers

from adapters.channels.event_bus import ChannelsEventBus, InProcessChannelsBackend
from adapters.channels.redis_pubsub import redis_channels_backend
from adapters.files.directory_drop import FileDropStudentDirectory, NoStudentDirectory
from adapters.files.local_storage import LocalFolderFileStorage
from adapters.files.outbox_mailer import OutboxFolderMailer
from adapters.files.outbox_sms import OutboxFolderSmsSender
from adapters.http.directory_feed import HttpStudentDirectory
from adapters.http.s3_storage import S3FileStorage
from adapters.http.sms_gateway import HttpSmsGateway
from adapters.redis.probe import RedisBrokerProbe
from adapters.redis.queue_gauge import RedisStreamQueueGauge
from adapters.redis.throttle import RedisLoginThrottle
from adapters.security.argon2_hasher import Argon2PasswordHasher
from adapters.security.jwt_codec import JwtTokenCodec
from adapters.smtp.mailer import SmtpMailer
from adapters.sqlalchemy.accounts.audit import SqlAlchemyAuditLog
from adapters.sqlalchemy.accounts.queries import SqlAlchemyAccountQueries
from adapters.sqlalchemy.accounts.repositories import SqlAlchemyAccountsUnitOfWork
from adapters.sqlalchemy.accounts.throttle import SqlAlchemyLoginThrottle
from adapters.sqlalchemy.backups.repository import SqlAlchemyBackupRepository
from adapters.sqlalchemy.backups.restore import SqlAlchemyDatabaseRestorer
from adapters.sqlalchemy.backups.snapshot import SqlAlchemyDatabaseSnapshot
from adapters.sqlalchemy.bookings.closures import (
    SqlAlchemyClosureQueries,
    SqlAlchemyClosuresUnitOfWork,
)
from adapters.sqlalchemy.bookings.occupancy import SqlAlchemyOccupancyQueries
from adapters.sqlalchemy.bookings.queries import (
    SqlAlchemyAllocationQueries,
    SqlAlchemyBookingQueries,
)
from adapters.sqlalchemy.bookings.records import SqlAlchemyBookingRecords
from adapters.sqlalchemy.bookings.repository import SqlAlchemyBookingsUnitOfWork
from adapters.sqlalchemy.directory.store import SqlAlchemySyncStore
from adapters.sqlalchemy.engine import create_engine
from adapters.sqlalchemy.figures import SqlAlchemyFigureStore
from adapters.sqlalchemy.housing.queries import SqlAlchemyHousingQueries
from adapters.sqlalchemy.housing.repositories import SqlAlchemyHousingUnitOfWork
from adapters.sqlalchemy.idempotency import SqlAlchemyIdempotencyStore
from adapters.sqlalchemy.imports.records import SqlAlchemyImportsUnitOfWork
from adapters.sqlalchemy.jobs.repository import SqlAlchemyJobRepository
from adapters.sqlalchemy.maintenance.queries import (
    SqlAlchemyMaintenanceDirectory,
    SqlAlchemyMaintenanceQueries,
)
from adapters.sqlalchemy.maintenance.repository import SqlAlchemyMaintenanceUnitOfWork
from adapters.sqlalchemy.notifications.announcements import (
    SqlAlchemyAnnouncementQueries,
    SqlAlchemyAnnouncementsUnitOfWork,
)
from adapters.sqlalchemy.notifications.audience import SqlAlchemyAudienceDirectory
from adapters.sqlalchemy.notifications.outbox import SqlAlchemyNotificationsUnitOfWork
from adapters.sqlalchemy.payments.queries import SqlAlchemyPaymentQueries
from adapters.sqlalchemy.payments.sandbox import SqlAlchemySandboxGateway
from adapters.sqlalchemy.probe import SqlAlchemyDatabaseProbe
from adapters.sqlalchemy.schedule_claims import SqlAlchemyScheduleClaims
from adapters.sqlalchemy.voters.queries import SqlAlchemyVoterQueries
from adapters.sqlalchemy.voters.repository import SqlAlchemyVotersUnitOfWork
from adapters.system.clock import SystemClock
from adapters.tabular.sheets import TabularSheetReader
from adapters.taskiq.background import TaskiqBackgroundTasks
from adapters.taskiq.probe import InProcessQueueGauge, TaskiqInProcessBrokerProbe
from application.accounts.model import LoginLimits
from application.accounts.sessions import TokenPolicy
from application.backups.backups import Retention
from application.directory.sync import SyncPolicy
from application.imports.run import ImportSite
from application.maintenance.ports import MaintenancePolicy
from application.notifications.notifier import Notifier
from application.payments.checkout import Checkouts
from application.payments.webhook import WebhookVerification
from domain.maintenance.sla import Allowance, SlaPolicy
from domain.maintenance.triage import RateTable
from domain.shared.money import Money
from entrypoints.secret_key import payment_webhook_secret
from entrypoints.settings import Settings
from entrypoints.use_cases import (
    AccountsUseCases,
    BackupsUseCases,
    BookingsUseCases,
    DirectoryUseCases,
    EventsUseCases,
    HousingUseCases,
    IdempotencyUseCases,
    ImportsUseCases,
    JobsUseCases,
    MaintenanceUseCases,
    NotificationsUseCases,
    PaymentsUseCases,
    SystemUseCases,
    VotersUseCases,
)
from entrypoints.worker.broker import CONSUMER_GROUP, QUEUE_NAME, create_broker


def maintenance_policy(settings: Settings) -> MaintenancePolicy:
    """The MAINTENANCE_* settings as the rules of triage and closing."""
    return MaintenancePolicy(
        sla=SlaPolicy(
            emergency=Allowance(hours=settings.maintenance_sla_emergency_hours),
            high=Allowance(hours=settings.maintenance_sla_high_hours),
            routine=Allowance(business_days=settings.maintenance_sla_routine_business_days),
            low=Allowance(business_days=settings.maintenance_sla_low_business_days),
        ),
        rates=RateTable(
            hourly_rate=Money.of(settings.maintenance_hourly_rate, settings.maintenance_currency)
        ),
        auto_close_after=timedelta(days=settings.maintenance_auto_close_days),
    )


class Container(containers.DeclarativeContainer):
    settings = providers.Dependency(instance_of=Settings)

    engine = providers.Singleton(
        create_engine,
        settings.provided.database_url,
        pool_size=settings.provided.database_pool_size,
    )
    clock = providers.Singleton(SystemClock)

    housing_uow = providers.Factory(SqlAlchemyHousingUnitOfWork, engine)
    housing_queries = providers.Singleton(SqlAlchemyHousingQueries, engine)
    broker = providers.Singleton(create_broker, settings)
    broker_probe = providers.Selector(
        settings.provided.task_broker,
        redis=providers.Singleton(RedisBrokerProbe, settings.provided.redis_url),
        in_process=providers.Singleton(TaskiqInProcessBrokerProbe, broker),
    )
    probes = providers.List(providers.Singleton(SqlAlchemyDatabaseProbe, engine), broker_probe)
    figure_store = providers.Singleton(SqlAlchemyFigureStore, engine)
    schedule_claims = providers.Singleton(SqlAlchemyScheduleClaims, engine)
    queue_gauge = providers.Selector(
        settings.provided.task_broker,
        redis=providers.Singleton(
            RedisStreamQueueGauge, settings.provided.redis_url, QUEUE_NAME, CONSUMER_GROUP
        ),
        in_process=providers.Singleton(InProcessQueueGauge),
    )

    accounts_uow = providers.Factory(SqlAlchemyAccountsUnitOfWork, engine)
    account_queries = providers.Singleton(SqlAlchemyAccountQueries, engine)
    audit_log = providers.Singleton(SqlAlchemyAuditLog, engine)
    password_hasher = providers.Singleton(Argon2PasswordHasher)
    token_codec = providers.Singleton(
        JwtTokenCodec,
        settings.provided.secret_key,
        settings.provided.token_issuer,
        settings.provided.token_audience,
        clock=clock,
    )
    token_policy = providers.Singleton(
        TokenPolicy,
        access_ttl=providers.Factory(timedelta, minutes=settings.provided.access_token_minutes),
        refresh_ttl=providers.Factory(timedelta, days=settings.provided.refresh_token_days),
    )
    login_limits = providers.Singleton(
        LoginLimits,
        failures_per_account=settings.provided.login_failures_per_account,
        failures_per_address=settings.provided.login_failures_per_address,
        window=providers.Factory(timedelta, minutes=settings.provided.login_window_minutes),
    )
    login_throttle = providers.Selector(
        settings.provided.shared_state,
        redis=providers.Singleton(
            RedisLoginThrottle, settings.provided.redis_url, clock, login_limits
        ),
        database=providers.Singleton(SqlAlchemyLoginThrottle, engine, clock, login_limits),
    )

    mailer = providers.Selector(
        settings.provided.mail_transport,
        smtp=providers.Singleton(
            SmtpMailer,
            settings.provided.smtp_url,
            settings.provided.mail_from,
            timeout_seconds=settings.provided.smtp_timeout_seconds,
            clock=clock,
        ),
        outbox=providers.Singleton(
            OutboxFolderMailer,
            settings.provided.outbox_dir,
            settings.provided.mail_from,
            clock=clock,
        ),
    )
    sms_sender = providers.Selector(
        settings.provided.sms_transport,
        http=providers.Singleton(
            HttpSmsGateway,
            settings.provided.sms_gateway_url,
            settings.provided.sms_gateway_token,
            body_format=settings.provided.sms_gateway_format,
        ),
        outbox=providers.Singleton(
            OutboxFolderSmsSender, settings.provided.outbox_dir, clock=clock
        ),
    )

    # Events follow the tasks: with the in-process broker the tasks that publish run in the API
    # process whose WebSockets listen, so in-process delivery reaches them; with Redis streams
    # they run in worker processes, and Redis pub/sub carries their events to every API process.
    channels_backend = providers.Selector(
        settings.provided.task_broker,
        redis=providers.Singleton(redis_channels_backend, settings.provided.redis_url),
        in_process=providers.Singleton(InProcessChannelsBackend),
    )
    event_bus = providers.Singleton(ChannelsEventBus, channels_backend)
    job_repository = providers.Singleton(SqlAlchemyJobRepository, engine)

    background_tasks = providers.Singleton(TaskiqBackgroundTasks, broker)
    notifications_uow = providers.Factory(SqlAlchemyNotificationsUnitOfWork, engine)
    notifier = providers.Singleton(
        Notifier, clock, background_tasks, providers.Dict(login_url=settings.provided.public_url)
    )

    # The bookings that name housing records: what refuses deleting them.
    booking_records = providers.Singleton(SqlAlchemyBookingRecords, engine)
    housing = providers.Container(
        HousingUseCases,
        uow=housing_uow.provider,
        queries=housing_queries,
        clock=clock,
        bookings=booking_records,
    )
    accounts = providers.Container(
        AccountsUseCases,
        uow=accounts_uow.provider,
        queries=account_queries,
        hasher=password_hasher,
        codec=token_codec,
        throttle=login_throttle,
        audit_log=audit_log,
        residents=housing_queries,
        clock=clock,
        token_policy=token_policy,
        notifier=notifier,
    )
    system = providers.Container(
        SystemUseCases,
        probes=probes,
        figure_store=figure_store,
        queue_gauge=queue_gauge,
    )
    announcements_uow = providers.Factory(SqlAlchemyAnnouncementsUnitOfWork, engine)
    announcement_queries = providers.Singleton(SqlAlchemyAnnouncementQueries, engine)
    audience_directory = providers.Singleton(SqlAlchemyAudienceDirectory, engine)
    jobs = providers.Container(JobsUseCases, jobs=job_repository, events=event_bus, clock=clock)
    notifications = providers.Container(
        NotificationsUseCases,
        uow=notifications_uow.provider,
        mailer=mailer,
        sms_sender=sms_sender,
        clock=clock,
        announcements_uow=announcements_uow.provider,
        announcement_queries=announcement_queries,
        audience=audience_directory,
        notifier=notifier,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
    )
    events = providers.Container(EventsUseCases, jobs=job_repository)
    imports_uow = providers.Factory(SqlAlchemyImportsUnitOfWork, engine)
    sheet_reader = providers.Singleton(TabularSheetReader)
    import_site = providers.Singleton(
        ImportSite, settings.provided.public_url, settings.provided.admin_email
    )
    imports = providers.Container(
        ImportsUseCases,
        uow=imports_uow.provider,
        reader=sheet_reader,
        jobs=job_repository,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
        clock=clock,
        accounts=account_queries,
        notifier=notifier,
        site=import_site,
        stalled_after=providers.Factory(
            timedelta, minutes=settings.provided.import_stalled_minutes
        ),
    )

    # The sandbox is the only gateway yet: the embedded default, also serving its own pages.
    payment_gateway = providers.Singleton(
        SqlAlchemySandboxGateway, engine, settings.provided.public_url, clock
    )
    payment_queries = providers.Singleton(SqlAlchemyPaymentQueries, engine)
    checkouts = providers.Factory(Checkouts, gateway=payment_gateway, queries=payment_queries)
    webhook_verification = providers.Singleton(
        WebhookVerification,
        providers.Callable(payment_webhook_secret, settings),
        settings.provided.payment_webhook_tolerance_seconds,
    )

    bookings_uow = providers.Factory(SqlAlchemyBookingsUnitOfWork, engine)
    allocation_queries = providers.Singleton(SqlAlchemyAllocationQueries, engine)
    booking_queries = providers.Singleton(SqlAlchemyBookingQueries, engine)
    idempotency_store = providers.Singleton(SqlAlchemyIdempotencyStore, engine)
    closures_uow = providers.Factory(SqlAlchemyClosuresUnitOfWork, engine)
    closure_queries = providers.Singleton(SqlAlchemyClosureQueries, engine)
    occupancy_queries = providers.Singleton(SqlAlchemyOccupancyQueries, engine)
    bookings = providers.Container(
        BookingsUseCases,
        uow=bookings_uow.provider,
        facts=allocation_queries,
        queries=booking_queries,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
        events=event_bus,
        clock=clock,
        hold_for=providers.Factory(timedelta, minutes=settings.provided.hold_minutes),
        idempotency=idempotency_store,
        notifier=notifier,
        closures_uow=closures_uow.provider,
        closure_queries=closure_queries,
        occupancy=occupancy_queries,
        checkouts=checkouts,
    )
    payments = providers.Container(
        PaymentsUseCases,
        uow=bookings_uow.provider,
        changes=bookings.changes,
        checkouts=checkouts,
        sandbox=payment_gateway,
        clock=clock,
        hold_for=providers.Factory(timedelta, minutes=settings.provided.hold_minutes),
        verification=webhook_verification,
    )

    voters_uow = providers.Factory(SqlAlchemyVotersUnitOfWork, engine)
    voter_queries = providers.Singleton(SqlAlchemyVoterQueries, engine)
    voters = providers.Container(
        VotersUseCases, uow=voters_uow.provider, queries=voter_queries, clock=clock
    )

    storage = providers.Selector(
        settings.provided.storage_backend,
        local=providers.Singleton(LocalFolderFileStorage, settings.provided.storage_dir),
        s3=providers.Singleton(
            S3FileStorage,
            settings.provided.s3_bucket,
            settings.provided.s3_prefix,
            endpoint_url=settings.provided.s3_endpoint_url,
            access_key=settings.provided.s3_access_key_id,
            secret_key=settings.provided.s3_secret_access_key,
            region=settings.provided.s3_region,
        ),
    )
    backup_repository = providers.Singleton(SqlAlchemyBackupRepository, engine)
    database_snapshot = providers.Singleton(SqlAlchemyDatabaseSnapshot, engine)
    database_restorer = providers.Singleton(SqlAlchemyDatabaseRestorer, engine)
    backups = providers.Container(
        BackupsUseCases,
        backups=backup_repository,
        snapshot=database_snapshot,
        restorer=database_restorer,
        storage=storage,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
        clock=clock,
        retention=providers.Singleton(
            Retention,
            keep_daily=settings.provided.backup_keep_daily,
            keep_weekly=settings.provided.backup_keep_weekly,
        ),
    )

    sync_store = providers.Singleton(SqlAlchemySyncStore, engine)
    student_directory = providers.Selector(
        settings.provided.directory_source,
        files=providers.Singleton(FileDropStudentDirectory, settings.provided.directory_drop_dir),
        http=providers.Singleton(
            HttpStudentDirectory,
            settings.provided.directory_feed_url,
            settings.provided.directory_feed_token,
        ),
        none=providers.Singleton(NoStudentDirectory),
    )
    directory = providers.Container(
        DirectoryUseCases,
        store=sync_store,
        directory=student_directory,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
        notifier=notifier,
        clock=clock,
        policy=providers.Singleton(
            SyncPolicy,
            absence_runs=settings.provided.sync_absence_runs,
            admin_email=settings.provided.admin_email,
        ),
    )
    idempotency = providers.Container(
        IdempotencyUseCases,
        store=idempotency_store,
        clock=clock,
        retention=providers.Factory(timedelta, hours=settings.provided.idempotency_key_hours),
    )

    maintenance_uow = providers.Factory(SqlAlchemyMaintenanceUnitOfWork, engine)
    maintenance_directory = providers.Singleton(SqlAlchemyMaintenanceDirectory, engine)
    maintenance_queries = providers.Singleton(SqlAlchemyMaintenanceQueries, engine)
    maintenance = providers.Container(
        MaintenanceUseCases,
        uow=maintenance_uow.provider,
        directory=maintenance_directory,
        queries=maintenance_queries,
        job_reporter=jobs.job_reporter,
        tasks=background_tasks,
        events=event_bus,
        clock=clock,
        notifier=notifier,
        policy=providers.Singleton(maintenance_policy, settings),
        place_closure=bookings.place_closure,
    )


USE_CASE_CONTEXTS = (
    "housing",
    "accounts",
    "system",
    "jobs",
    "events",
    "notifications",
    "imports",
    "bookings",
    "voters",
    "backups",
    "directory",
    "payments",
    "idempotency",
    "maintenance",
)


def use_case_providers(container: Container) -> dict[str, providers.Provider[object]]:
    """Every use case by its provider name (`create_building`, ...): the HTTP layer injects them
    into handlers under these names."""
    found: dict[str, providers.Provider[object]] = {}
    for context in USE_CASE_CONTEXTS:
        sub_container = getattr(container, context)
        for name, provider in sub_container.providers.items():
            if isinstance(provider, providers.Singleton):
                found[name] = provider
    return found
