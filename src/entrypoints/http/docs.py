"""Shared pieces of the OpenAPI description of operations."""

import inspect
from typing import Any

from litestar.openapi.datastructures import ResponseSpec

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
    503: "A dependency is unavailable",
}


def problems(*statuses: int) -> dict[int, ResponseSpec]:
    """Error responses of an operation, documented as problem details. 400 is always listed:
    Litestar documents it for every operation with parameters, in its own error format, and
    this replaces that with the problem document the API really sends."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_REASONS[status],
            media_type="application/problem+json",
        )
        for status in sorted({400, *statuses})
    }


def described_by(use_case: type[Any]) -> str:
    """A use case's docstring (its business rules) is the operation's description."""
    return inspect.cleandoc(use_case.__doc__ or "")
