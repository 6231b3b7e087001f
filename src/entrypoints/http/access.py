"""Who may call what: public routes, the roles each route admits, and the resident's own record.

Routes declare their audience in `opt`, on the controller or the handler (the handler wins):
`opt=PUBLIC` for the few routes that need no token, `opt=allowed(...)` for the roles that may
call a route. One app-wide guard enforces it; a route that declares no roles admits no one, so
forgetting the declaration fails closed."""

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import WebSocketException
from litestar.handlers.base import BaseRouteHandler
from litestar.status_codes import WS_1008_POLICY_VIOLATION
from msgspec import UNSET, Struct

from domain.accounts.model import Principal, Role
from domain.shared.errors import Forbidden, NotFound, Unauthenticated

# The authentication middleware skips routes whose `opt` sets this key.
PUBLIC_KEY = "exclude_from_auth"
PUBLIC: Mapping[str, Any] = {PUBLIC_KEY: True}
ROLES_KEY = "roles"
OFFICE = (Role.ADMIN, Role.STAFF)


def allowed(*roles: Role) -> dict[str, Any]:
    """The `opt` of a route that these roles may call."""
    return {ROLES_KEY: frozenset(roles)}


def everyone() -> dict[str, Any]:
    return allowed(*Role)


class ForbiddenFields(Forbidden):
    """The body sets fields the caller's role may not set; `fields` names them."""

    def __init__(self, fields: Iterable[str], reason: str) -> None:
        self.fields = sorted(fields)
        self.reason = reason
        super().__init__(f"{', '.join(self.fields)}: {reason}")


def check_role(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """The app-wide guard: the caller's role must be one the route admits. A WebSocket is
    refused with close code 1008 (policy violation) instead of a status code."""
    try:
        _check_role(connection, handler)
    except (Unauthenticated, Forbidden) as refusal:
        if connection.scope["type"] == ScopeType.WEBSOCKET:
            raise WebSocketException(
                detail=refusal.message, code=WS_1008_POLICY_VIOLATION
            ) from refusal
        raise


def _check_role(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    # OPTIONS answers with the allowed methods (CORS preflights): it reveals nothing and
    # carries no token, so authentication skips it too.
    if handler.opt.get(PUBLIC_KEY) or connection.scope.get("method") == "OPTIONS":
        return
    caller = connection.scope.get("user")
    if not isinstance(caller, Principal):
        raise Unauthenticated("a bearer token is required")
    roles = handler.opt.get(ROLES_KEY)
    if roles is None:
        raise Forbidden("this operation admits no role")
    if caller.role not in roles:
        raise Forbidden(f"the {caller.role} role may not do this")


def ensure_may_see_resident(caller: Principal, resident_id: UUID) -> None:
    """Another resident's record answers like a missing one: a 403 would confirm the id."""
    if not caller.may_see_resident(resident_id):
        raise NotFound("resident", resident_id)


# What a resident may change on their own record: how to reach them and what they need from
# their room. These are facts only the resident knows first-hand and that go stale without
# them. Identity (student id, names, email, birth date, gender) is checked by the office
# against the student information system, and status, department and year of study decide
# allocation and eligibility, so only the office changes those.
RESIDENT_EDITABLE_FIELDS = frozenset(
    {
        "phone",
        "emergency_contact",
        "accessibility_notes",
        "needs_accessible_room",
        "email_opt_in",
        "sms_opt_in",
    }
)


def set_fields(patch: Struct) -> set[str]:
    return {name for name in patch.__struct_fields__ if getattr(patch, name) is not UNSET}


def ensure_resident_may_set(caller: Principal, patch: Struct) -> None:
    if caller.is_office:
        return
    refused = set_fields(patch) - RESIDENT_EDITABLE_FIELDS
    if refused:
        raise ForbiddenFields(refused, "only the residence office may change this field")
