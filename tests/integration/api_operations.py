"""The operations of the running API, read from its own OpenAPI document, and the roles each
route admits, read from the app's routes (`opt`): the walks over every operation use these, so
an operation added on any branch is walked the day it is published."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from domain.accounts.model import Role
from entrypoints.container import Container
from entrypoints.http.access import ROLES_KEY
from entrypoints.http.app import create_app
from entrypoints.settings import load_settings

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
_PARAMETER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    public: bool
    has_json_body: bool

    def url(self, seeded: dict[str, str]) -> str:
        """The path with each parameter filled: a seeded record's id where one is named like
        the parameter (so a refusal cannot hide behind a 404), a random id otherwise."""
        return _PARAMETER.sub(lambda found: seeded.get(found.group(1), str(uuid4())), self.path)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def published_operations(base: str) -> list[Operation]:
    document: dict[str, Any] = httpx.get(f"{base}/schema/openapi.json", timeout=30).json()
    return [
        Operation(
            method=method.upper(),
            path=path,
            # `security: []` lifts the document-wide bearer requirement.
            public=operation.get("security") == [],
            has_json_body="application/json" in operation.get("requestBody", {}).get("content", {}),
        )
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def admitted_roles(var_dir: Path) -> dict[tuple[str, str], frozenset[Role]]:
    """The roles each route's `opt` admits, by method and path template, from an app built
    like the server's (nothing is started: only its routes are read)."""
    app = create_app(Container(settings=load_settings({"VAR_DIR": str(var_dir)}, dotenv=None)))
    return {
        (method, route.path_format): frozenset(handler.opt.get(ROLES_KEY, ()))
        for route in app.routes
        for handler in getattr(route, "route_handlers", [])
        for method in handler.http_methods
    }
