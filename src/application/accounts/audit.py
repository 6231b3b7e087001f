"""The audit trail: who changed what, and when."""

from uuid import UUID

from application.accounts.model import AuditEntry
from application.accounts.ports import AuditLog
from application.accounts.views import AuditFilter, AuditPage
from application.shared.paging import PageRequest
from application.shared.ports import Clock


class RecordAudit:
    """Records one write: the actor, the action, the entity and id, and which fields it set
    (names only; values of personal data stay out of the audit trail)."""

    def __init__(self, audit_log: AuditLog, clock: Clock) -> None:
        self._audit_log = audit_log
        self._clock = clock

    async def __call__(
        self,
        actor_id: UUID | None,
        action: str,
        entity: str,
        entity_id: str | None,
        fields: list[str],
    ) -> None:
        await self._audit_log.record(
            AuditEntry(
                actor_id=actor_id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                changed_fields=sorted(set(fields)),
                at=self._clock.now(),
            )
        )


class SearchAudit:
    """Lists audit entries newest first, by entity, actor and time range."""

    def __init__(self, audit_log: AuditLog) -> None:
        self._audit_log = audit_log

    async def __call__(self, criteria: AuditFilter, page: PageRequest) -> AuditPage:
        return await self._audit_log.search(criteria, page)
