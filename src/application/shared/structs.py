"""Base classes for the structs the application exchanges with its callers."""

import msgspec


class Command(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Input to a use case. Unknown fields are an error, never silently dropped."""


class Patch(
    msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True, omit_defaults=True
):
    """A partial update: fields left UNSET are not changed; null clears an optional field."""


class View(msgspec.Struct, frozen=True, kw_only=True):
    """Output of a use case, also the HTTP response body."""
