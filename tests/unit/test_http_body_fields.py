"""Litestar reads a request-body validation error whose field is named like one of the handler's
dependencies as a failure of that dependency, and answers 500 instead of 422. No field of any
request body, at any depth, may therefore share a name with a dependency."""

from typing import Any, get_args, get_origin

import msgspec
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler


def _struct_types(annotation: Any) -> list[type[msgspec.Struct]]:
    found: list[type[msgspec.Struct]] = []
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        found.append(annotation)
    for argument in get_args(annotation) if get_origin(annotation) is not None else ():
        found.extend(_struct_types(argument))
    return found


def _field_names(struct: type[msgspec.Struct], seen: set[type] | None = None) -> set[str]:
    seen = seen if seen is not None else set()
    if struct in seen:
        return set()
    seen.add(struct)
    names: set[str] = set()
    hints = msgspec.structs.fields(struct)
    for field in hints:
        names.add(field.encode_name)
        for nested in _struct_types(field.type):
            names |= _field_names(nested, seen)
    return names


def test_no_request_body_field_is_named_like_a_dependency(app: Litestar) -> None:
    clashes: dict[str, set[str]] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if not isinstance(handler, HTTPRouteHandler):
                continue
            body = handler.parsed_fn_signature.parameters.get("data")
            if body is None:
                continue
            names = set().union(*(_field_names(s) for s in _struct_types(body.annotation)))
            clash = names & set(handler.resolve_dependencies())
            if clash:
                clashes[f"{sorted(handler.http_methods)} {route.path}"] = clash
    assert clashes == {}
    assert any(
        "data" in handler.parsed_fn_signature.parameters
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        if isinstance(handler, HTTPRouteHandler)
    )
