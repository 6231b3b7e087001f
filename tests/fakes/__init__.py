"""In-memory stand-ins for every port. The contract tests in tests/integration run the same
assertions against these and the real adapters, so the two cannot drift apart."""

from tests.fakes.accounts import (
    FakeTokenCodec,
    InMemoryAccountQueries,
    InMemoryAccountsStore,
    InMemoryAccountsUnitOfWork,
    InMemoryAuditLog,
    InMemoryLoginThrottle,
    PlainPasswordHasher,
)
from tests.fakes.backups import FixedDatabaseSnapshot, InMemoryBackupRepository
from tests.fakes.bookings import (
    InMemoryAllocationQueries,
    InMemoryBookingQueries,
    InMemoryBookingRecords,
    InMemoryBookingRepository,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
)
from tests.fakes.closures import (
    InMemoryClosureQueries,
    InMemoryClosuresUnitOfWork,
    InMemoryOccupancyQueries,
)
from tests.fakes.housing import (
    HousingTables,
    InMemoryBuildingRepository,
    InMemoryHousingQueries,
    InMemoryHousingStore,
    InMemoryHousingUnitOfWork,
    InMemoryResidentRepository,
    InMemoryRoomRepository,
    InMemoryTermRepository,
)
from tests.fakes.imports import (
    InMemoryImportRepository,
    InMemoryImportsStore,
    InMemoryImportsUnitOfWork,
    InMemorySheetReader,
    InMemoryVoterStore,
)
from tests.fakes.jobs import InMemoryJobRepository, RecordingEventBus
from tests.fakes.maintenance import (
    InMemoryMaintenanceDirectory,
    InMemoryMaintenanceQueries,
    InMemoryMaintenanceStore,
    InMemoryMaintenanceUnitOfWork,
)
from tests.fakes.notifications import (
    InMemoryAnnouncementQueries,
    InMemoryAnnouncementRepository,
    InMemoryAudienceDirectory,
    InMemoryNotificationOutbox,
    InMemoryNotificationStore,
    InMemoryNotificationsUnitOfWork,
    RecordingBackgroundTasks,
    RecordingMailer,
    RecordingSmsSender,
)
from tests.fakes.payments import (
    InMemoryPaymentQueries,
    InMemoryPaymentRepository,
    InMemorySandboxGateway,
    PaymentTables,
)
from tests.fakes.storage import InMemoryFileStorage
from tests.fakes.system import FixedClock, InMemoryIdempotencyStore, StaticProbe
from tests.fakes.voters import InMemoryVoterQueries, InMemoryVotersUnitOfWork

__all__ = [
    "FakeTokenCodec",
    "FixedClock",
    "FixedDatabaseSnapshot",
    "HousingTables",
    "InMemoryAccountQueries",
    "InMemoryAccountsStore",
    "InMemoryAccountsUnitOfWork",
    "InMemoryAllocationQueries",
    "InMemoryAnnouncementQueries",
    "InMemoryAnnouncementRepository",
    "InMemoryAudienceDirectory",
    "InMemoryAuditLog",
    "InMemoryBackupRepository",
    "InMemoryBookingQueries",
    "InMemoryBookingRecords",
    "InMemoryBookingRepository",
    "InMemoryBookingStore",
    "InMemoryBookingsUnitOfWork",
    "InMemoryBuildingRepository",
    "InMemoryClosureQueries",
    "InMemoryClosuresUnitOfWork",
    "InMemoryFileStorage",
    "InMemoryHousingQueries",
    "InMemoryHousingStore",
    "InMemoryHousingUnitOfWork",
    "InMemoryIdempotencyStore",
    "InMemoryImportRepository",
    "InMemoryImportsStore",
    "InMemoryImportsUnitOfWork",
    "InMemoryJobRepository",
    "InMemoryLoginThrottle",
    "InMemoryMaintenanceDirectory",
    "InMemoryMaintenanceQueries",
    "InMemoryMaintenanceStore",
    "InMemoryMaintenanceUnitOfWork",
    "InMemoryNotificationOutbox",
    "InMemoryNotificationStore",
    "InMemoryNotificationsUnitOfWork",
    "InMemoryOccupancyQueries",
    "InMemoryPaymentQueries",
    "InMemoryPaymentRepository",
    "InMemoryResidentRepository",
    "InMemoryRoomRepository",
    "InMemorySandboxGateway",
    "InMemorySheetReader",
    "InMemoryTermRepository",
    "InMemoryVoterQueries",
    "InMemoryVoterStore",
    "InMemoryVotersUnitOfWork",
    "PaymentTables",
    "PlainPasswordHasher",
    "RecordingBackgroundTasks",
    "RecordingEventBus",
    "RecordingMailer",
    "RecordingSmsSender",
    "StaticProbe",
]
