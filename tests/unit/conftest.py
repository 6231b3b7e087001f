"""Unit-test wiring: the real container and app, with every port swapped for an in-memory fake.

Tokens are real JWTs from the real codec; only storage, hashing and throttling are fakes. The
`client` fixture speaks as a staff member, which is what the housing tests need; the role
fixtures (`admin`, `staff`, `technician`, `resident`, `anonymous`) share its app and state."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from dependency_injector import providers
from litestar import Litestar
from litestar.testing import AsyncTestClient

from application.housing.commands import RegisterResidentCommand
from entrypoints.container import Container
from entrypoints.http.app import create_app
from entrypoints.settings import Settings, load_settings
from tests.fakes import (
    FixedClock,
    InMemoryAccountQueries,
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryAllocationQueries,
    InMemoryAnnouncementQueries,
    InMemoryAudienceDirectory,
    InMemoryAuditLog,
    InMemoryBookingQueries,
    InMemoryBookingRecords,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
    InMemoryClosureQueries,
    InMemoryClosuresUnitOfWork,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
    InMemoryIdempotencyStore,
    InMemoryImportsStore,
    InMemoryImportsUnitOfWork,
    InMemoryJobRepository,
    InMemoryLoginThrottle,
    InMemoryMaintenanceDirectory,
    InMemoryMaintenanceQueries,
    InMemoryMaintenanceStore,
    InMemoryMaintenanceUnitOfWork,
    InMemoryNotificationsUnitOfWork,
    InMemoryOccupancyQueries,
    InMemoryPaymentQueries,
    InMemorySandboxGateway,
    PlainPasswordHasher,
    RecordingBackgroundTasks,
    StaticProbe,
)
from tests.fakes.backups import FixedDatabaseSnapshot, InMemoryBackupRepository
from tests.fakes.directory import InMemoryStudentDirectory, InMemorySyncStore
from tests.fakes.storage import InMemoryFileStorage
from tests.fakes.voters import InMemoryVoterQueries, InMemoryVotersUnitOfWork
from tests.unit.accounts_api import Caller, Client, Json, sign_in
from tests.unit.housing_api import ADA

UNIT_ENVIRONMENT = {
    "SECRET_KEY": "unit-tests-only-signing-key-0123456789abcdef",
    # The test client's default host, and a local name with a port for the Host tests.
    "ALLOWED_HOSTS": "testserver.local,localhost",
}


@pytest.fixture
def environment() -> dict[str, str]:
    """The variables the settings are read from; a test module overrides this fixture to
    configure the app differently (trusted proxies, CORS origins, login limits)."""
    return dict(UNIT_ENVIRONMENT)


@pytest.fixture
def settings(tmp_path: Path, environment: dict[str, str]) -> Settings:
    return load_settings({"VAR_DIR": str(tmp_path / "var"), **environment}, dotenv=None)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(clock: FixedClock) -> InMemoryHousingStore:
    return InMemoryHousingStore(clock)


@pytest.fixture
def accounts_store(clock: FixedClock) -> InMemoryAccountsStore:
    return InMemoryAccountsStore(clock)


@pytest.fixture
def audit_log() -> InMemoryAuditLog:
    return InMemoryAuditLog()


@pytest.fixture
def job_repository() -> InMemoryJobRepository:
    return InMemoryJobRepository()


@pytest.fixture
def booking_store() -> InMemoryBookingStore:
    return InMemoryBookingStore()


@pytest.fixture
def imports_store(
    accounts_store: InMemoryAccountsStore, store: InMemoryHousingStore
) -> InMemoryImportsStore:
    return InMemoryImportsStore(accounts_store.notifications, housing=store)


@pytest.fixture
def maintenance_store() -> InMemoryMaintenanceStore:
    return InMemoryMaintenanceStore()


@pytest.fixture
def probes() -> list[StaticProbe]:
    return [StaticProbe("database"), StaticProbe("broker")]


@pytest.fixture
def container(
    settings: Settings,
    store: InMemoryHousingStore,
    accounts_store: InMemoryAccountsStore,
    audit_log: InMemoryAuditLog,
    clock: FixedClock,
    probes: list[StaticProbe],
    job_repository: InMemoryJobRepository,
    booking_store: InMemoryBookingStore,
    imports_store: InMemoryImportsStore,
    maintenance_store: InMemoryMaintenanceStore,
) -> Container:
    container = Container(settings=settings)
    container.clock.override(providers.Object(clock))
    container.housing_uow.override(providers.Factory(InMemoryHousingUnitOfWork, store))
    container.housing_queries.override(providers.Object(InMemoryHousingQueries(store)))
    container.probes.override(providers.Object(probes))
    container.accounts_uow.override(providers.Factory(InMemoryAccountsUnitOfWork, accounts_store))
    container.account_queries.override(providers.Object(InMemoryAccountQueries(accounts_store)))
    container.audit_log.override(providers.Object(audit_log))
    container.password_hasher.override(providers.Object(PlainPasswordHasher()))
    container.login_throttle.override(
        providers.Singleton(InMemoryLoginThrottle, clock, container.login_limits)
    )
    # The event bus stays the real in-process one: the WebSocket tests listen to it.
    container.job_repository.override(providers.Object(job_repository))
    container.notifications_uow.override(
        providers.Factory(InMemoryNotificationsUnitOfWork, accounts_store.notifications)
    )
    container.announcements_uow.override(
        providers.Factory(InMemoryNotificationsUnitOfWork, accounts_store.notifications)
    )
    container.announcement_queries.override(
        providers.Object(InMemoryAnnouncementQueries(accounts_store.notifications))
    )
    container.audience_directory.override(
        providers.Object(InMemoryAudienceDirectory(store, booking_store))
    )
    container.bookings_uow.override(
        providers.Factory(InMemoryBookingsUnitOfWork, booking_store, accounts_store.notifications)
    )
    container.allocation_queries.override(
        providers.Object(InMemoryAllocationQueries(store, booking_store))
    )
    container.booking_queries.override(
        providers.Object(InMemoryBookingQueries(store, booking_store))
    )
    container.idempotency_store.override(providers.Object(InMemoryIdempotencyStore()))
    container.booking_records.override(providers.Object(InMemoryBookingRecords(booking_store)))
    container.closures_uow.override(
        providers.Factory(InMemoryClosuresUnitOfWork, booking_store, accounts_store.notifications)
    )
    container.closure_queries.override(
        providers.Object(InMemoryClosureQueries(store, booking_store))
    )
    container.occupancy_queries.override(
        providers.Object(InMemoryOccupancyQueries(store, booking_store))
    )
    container.background_tasks.override(providers.Object(RecordingBackgroundTasks()))
    # The real tabular reader stays: it reads the files the tests upload.
    container.imports_uow.override(providers.Factory(InMemoryImportsUnitOfWork, imports_store))
    container.voters_uow.override(providers.Factory(InMemoryVotersUnitOfWork, imports_store))
    container.voter_queries.override(providers.Object(InMemoryVoterQueries(imports_store)))
    container.backup_repository.override(providers.Object(InMemoryBackupRepository()))
    container.storage.override(providers.Object(InMemoryFileStorage()))
    container.database_snapshot.override(providers.Object(FixedDatabaseSnapshot()))
    container.sync_store.override(
        providers.Object(InMemorySyncStore(store, accounts_store.notifications))
    )
    container.student_directory.override(providers.Object(InMemoryStudentDirectory()))
    container.payment_gateway.override(providers.Object(InMemorySandboxGateway(clock)))
    container.payment_queries.override(providers.Object(InMemoryPaymentQueries(store)))
    container.maintenance_uow.override(
        providers.Factory(
            InMemoryMaintenanceUnitOfWork, maintenance_store, accounts_store.notifications
        )
    )
    container.maintenance_directory.override(
        providers.Object(InMemoryMaintenanceDirectory(store, booking_store, accounts_store))
    )
    container.maintenance_queries.override(
        providers.Object(InMemoryMaintenanceQueries(maintenance_store))
    )
    return container


@pytest.fixture
def app(container: Container) -> Litestar:
    return create_app(container)


@pytest.fixture
async def http(app: Litestar) -> AsyncIterator[Client]:
    """The one test client (and app lifespan) every caller fixture speaks through."""
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


@pytest.fixture
async def staff(http: Client, container: Container) -> Caller:
    return await sign_in(http, container, "staff")


@pytest.fixture
async def admin(http: Client, container: Container) -> Caller:
    return await sign_in(http, container, "admin")


@pytest.fixture
async def technician(http: Client, container: Container) -> Caller:
    return await sign_in(http, container, "technician")


@pytest.fixture
async def resident_record(container: Container) -> Json:
    """Ada's resident record, registered through the use case so no audit entry is made."""
    view = await container.housing.register_resident()(RegisterResidentCommand(**ADA))
    return {"id": str(view.id), "student_id": view.student_id}


@pytest.fixture
async def resident(http: Client, container: Container, resident_record: Json) -> Caller:
    return await sign_in(http, container, "resident", resident_id=resident_record["id"])


@pytest.fixture
def anonymous(http: Client) -> Caller:
    return Caller(http, token=None)


@pytest.fixture
async def client(http: Client, staff: Caller) -> Client:
    """The test client itself, signed in as staff by default: the housing tests use it as is."""
    http.auth = staff.auth
    return http
