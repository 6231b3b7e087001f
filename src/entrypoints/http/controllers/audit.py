from datetime import datetime
from typing import Annotated
from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from application.accounts.audit import SearchAudit
from application.accounts.views import AuditFilter, AuditPage
from application.shared.paging import PageRequest
from domain.accounts.model import Role
from domain.shared.errors import InvalidValue
from entrypoints.http.access import allowed
from entrypoints.http.docs import described_by, problems


def _aware(name: str, moment: datetime | None) -> datetime | None:
    # Entries are stored in UTC; a time without an offset could mean any zone.
    if moment is not None and moment.tzinfo is None:
        raise InvalidValue(name, "needs a UTC offset, like 2026-09-01T09:00:00Z")
    return moment


class AuditController(Controller):
    path = "/api/audit"
    tags = ["Audit"]
    opt = allowed(Role.ADMIN)

    @get(
        "/",
        summary="Search the audit trail",
        description=described_by(SearchAudit),
        responses=problems(403, 422),
    )
    async def search(
        self,
        search_audit: NamedDependency[SearchAudit],
        page: NamedDependency[PageRequest],
        entity: Annotated[
            str | None, QueryParameter(description="Singular resource name, like `room`")
        ] = None,
        actor_id: Annotated[
            UUID | None, QueryParameter(description="Id of the account that made the change")
        ] = None,
        since: Annotated[
            datetime | None, QueryParameter(description="From this time on (inclusive)")
        ] = None,
        until: Annotated[
            datetime | None, QueryParameter(description="Before this time (exclusive)")
        ] = None,
    ) -> AuditPage:
        criteria = AuditFilter(
            entity=entity,
            actor_id=actor_id,
            since=_aware("since", since),
            until=_aware("until", until),
        )
        return await search_audit(criteria, page)
