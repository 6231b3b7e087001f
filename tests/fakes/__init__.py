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
from tests.fakes.bookings import (
    InMemoryAllocationQueries,
    InMemoryBookingQueries,
    InMemoryBookingRepository,
    InMemoryBookingStore,
    InMemoryBookingsUnitOfWork,
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
from tests.fakes.system import FixedClock, InMemoryIdempotencyStore, StaticProbe

__all__ = [
    "FakeTokenCodec",
    "FixedClock",
    "HousingTables",
    "InMemoryAccountQueries",
    "InMemoryAccountsStore",
    "InMemoryAccountsUnitOfWork",
    "InMemoryAllocationQueries",
    "InMemoryAnnouncementQueries",
    "InMemoryAnnouncementRepository",
    "InMemoryAudienceDirectory",
    "InMemoryAuditLog",
    "InMemoryBookingQueries",
    "InMemoryBookingRepository",
    "InMemoryBookingStore",
    "InMemoryBookingsUnitOfWork",
    "InMemoryBuildingRepository",
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
    "InMemoryResidentRepository",
    "InMemoryRoomRepository",
    "InMemorySheetReader",
    "InMemoryTermRepository",
    "InMemoryVoterStore",
    "PlainPasswordHasher",
    "RecordingBackgroundTasks",
    "RecordingEventBus",
    "RecordingMailer",
    "RecordingSmsSender",
    "StaticProbe",
]
