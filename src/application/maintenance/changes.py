"""What follows a change of a maintenance request: its history entry and emails, stored with
it in one transaction, and after the commit the events and a kick of the relay."""

from collections.abc import Sequence
from datetime import datetime

from application.maintenance.ports import MaintenanceDirectory, MaintenanceUnitOfWorkFactory
from application.maintenance.views import request_event
from application.notifications.notifier import Notifier
from application.shared.ports import EventBus
from domain.events.topics import Topic, TopicFamily, resident_topic
from domain.maintenance.model import HistoryEntry, MaintenanceRequest
from domain.notifications.model import Notification

# The office's work queue on the event stream.
OFFICE_TOPIC = str(Topic(TopicFamily.STAFF, "maintenance"))


def reference(request: MaintenanceRequest) -> str:
    """The short id people quote on the phone."""
    return str(request.id)[:8]


def _when(moment: datetime | None) -> str:
    return "no deadline yet" if moment is None else moment.strftime("%d %B %Y at %H:%M UTC")


def _words(value: str) -> str:
    return value.replace("_", " ")


class MaintenanceChanges:
    """A helper of the maintenance use cases, not a use case. Emails about a request are
    transactional: they go whatever the resident's announcement preferences."""

    def __init__(
        self,
        uow: MaintenanceUnitOfWorkFactory,
        directory: MaintenanceDirectory,
        notifier: Notifier,
        events: EventBus,
    ) -> None:
        self._uow = uow
        self._directory = directory
        self._notifier = notifier
        self._events = events

    async def store(
        self,
        changed: MaintenanceRequest,
        entries: Sequence[HistoryEntry],
        expected: MaintenanceRequest,
        notices: Sequence[Notification] = (),
    ) -> bool:
        """Stores `changed`, its history and its emails in one transaction, if the stored
        request is still in the state and escalation level of `expected`; False, and nothing
        stored, when another run moved it first."""
        async with self._uow() as uow:
            if not await uow.requests.update_from(
                changed, expected.state, expected.escalation_level
            ):
                return False
            for entry in entries:
                await uow.requests.record(entry)
            await uow.outbox.add_all(list(notices))
            await uow.commit()
        return True

    async def committed(self, request: MaintenanceRequest) -> None:
        """After the commit: the events (best effort) and the relay (kicked, or scheduled)."""
        event = request_event(request)
        await self._events.publish(OFFICE_TOPIC, event)
        if request.resident_id is not None:
            await self._events.publish(resident_topic(request.resident_id), event)
        await self._notifier.deliver_soon()

    async def _data(self, request: MaintenanceRequest) -> dict[str, str]:
        place = await self._directory.place(request.building_id, request.room_id)
        return {
            "reference": reference(request),
            "place": "an unknown place" if place is None else place.label,
            "category": _words(request.category.value),
            "priority": request.priority.value,
            "state": _words(request.state.value),
            "due_at": _when(request.due_at),
        }

    async def to_resident(
        self, request: MaintenanceRequest, kind: str, **extra: str
    ) -> list[Notification]:
        """`kind` (maintenance_received, maintenance_status) to the resident, if there is one."""
        contact = None
        if request.resident_id is not None:
            contact = await self._directory.contact(request.resident_id)
        if contact is None:
            return []
        data = await self._data(request) | {"first_name": contact.first_name} | extra
        return [self._email(kind, contact.email, contact.full_name, data, request)]

    async def to_technician(self, request: MaintenanceRequest) -> list[Notification]:
        account = None
        if request.technician_id is not None:
            account = await self._directory.account(request.technician_id)
        if account is None or not account.active:
            return []
        data = await self._data(request) | {
            "description": request.description,
            "permission_to_enter": "yes" if request.permission_to_enter else "no",
            "preferred_times": request.preferred_times or "none given",
        }
        return [self._email("maintenance_assigned", account.email, None, data, request)]

    async def to_office(
        self, request: MaintenanceRequest, kind: str, **extra: str
    ) -> list[Notification]:
        """`kind` (maintenance_unassigned, maintenance_overdue) to every office account."""
        data = await self._data(request) | extra
        return [
            self._email(kind, address, None, data, request)
            for address in await self._directory.office_emails()
        ]

    def _email(
        self,
        kind: str,
        address: str,
        name: str | None,
        data: dict[str, str],
        request: MaintenanceRequest,
    ) -> Notification:
        return self._notifier.email(
            kind, to=address, name=name, data=data, source=f"maintenance:{request.id}"
        )
