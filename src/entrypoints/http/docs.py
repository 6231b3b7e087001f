"""Shared pieces of the OpenAPI description of operations."""

import inspect
from dataclasses import dataclass
from typing import Any

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Components, Operation, SecurityRequirement, SecurityScheme

from entrypoints.http.problems import ProblemDetails

_REASONS = {
    400: "Malformed request, such as a body that is not JSON",
    401: "Missing or invalid token",
    403: "The caller's role may not do this",
    404: "No such resource",
    409: "Conflicts with the current state (the reason names the field)",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Invalid input (the errors name each field)",
    429: "Too many attempts; Retry-After says how many seconds to wait",
    503: "A dependency is unavailable",
}

BEARER_SCHEME = "bearer"
SECURITY_COMPONENTS = Components(
    security_schemes={
        BEARER_SCHEME: SecurityScheme(
            type="http",
            scheme="bearer",
            bearer_format="JWT",
            description="The `access_token` of POST /api/auth/login or /api/auth/refresh.",
        )
    }
)
# The document-wide requirement: every operation needs the token unless it says otherwise.
BEARER_REQUIRED: list[SecurityRequirement] = [{BEARER_SCHEME: []}]


@dataclass
class PublicOperation(Operation):
    """An operation anyone may call. Litestar drops an empty `security` list, which would leave
    the operation under the document-wide bearer requirement; OpenAPI says `security: []`
    lifts it, so this operation always carries one."""

    def __post_init__(self) -> None:
        self.security = []


def problems(*statuses: int, public: bool = False) -> dict[int, ResponseSpec]:
    """Error responses of an operation, documented as problem details. 400 is always listed:
    Litestar documents it for every operation with parameters, in its own error format, and
    this replaces that with the problem document the API really sends. 401 is listed for every
    operation that needs a token, that is all but the `public` ones."""
    always = {400} if public else {400, 401}
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_REASONS[status],
            media_type="application/problem+json",
        )
        for status in sorted({*always, *statuses})
    }


def described_by(use_case: type[Any]) -> str:
    """A use case's docstring (its business rules) is the operation's description."""
    return inspect.cleandoc(use_case.__doc__ or "")
