"""The whole API over real HTTP, driven by its own OpenAPI document, so that an operation is
covered the day it is published:

- schemathesis fuzzes every operation with an admin's token, one operation at a time and in
  chains along the links it infers: no answer may be a 5xx, an undocumented status code or
  content type, or a body that breaks its documented schema;
- every operation refuses a caller without a token (401), but the public ones;
- every operation refuses each role its route does not admit (403, or 404 where a refusal
  must not confirm that a record exists); the roles come from the routes' `opt`.

Nothing is left out of the fuzz: the WebSocket (/ws) and /metrics are not in the document
(the WebSocket route has its own tests), and the upload routes document their multipart form."""

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from domain.accounts.model import Role
from tests.integration.api_operations import Operation, admitted_roles, published_operations
from tests.integration.running_api import Account, RunningApi, running_api

# Chosen so that the whole module stays within about a minute on a 2-core machine; the
# coverage phase adds the schema's edge cases (bounds, enums, missing fields) on top.
EXAMPLES_PER_OPERATION = 20
# Left out: response_headers_conformance (the document declares no response headers, so it
# would check nothing); negative_data_rejection and positive_data_acceptance (they second-guess
# validation the API documents as 422: the schema cannot state every business rule, such as
# "ends_on after starts_on"); ignored_auth and the other auth probes, which the walks at the end
# of this module cover for every role, not only for admins.
CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ_CONFIG: dict[str, Any] = {
    # Reproducible: the same cases on every run and every machine.
    "seed": 9,
    # The Authorization header is the admin's token, never fuzzed: a garbled one only meets the
    # 401 that the walk without a token checks for every operation.
    "generation": {"database": "none", "with-security-parameters": False},
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}},
}


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningApi]:
    with running_api(tmp_path_factory.mktemp("fuzz")) as running:
        yield running


def _with_seeded_ids(seeded: dict[str, str]) -> Callable[..., Any]:
    """Path parameters are random ids, which only reach the 404 branch; half the time this
    swaps in the seeded record's id for each parameter named like one."""

    def before_generate_path_parameters(context: Any, strategy: st.SearchStrategy[Any]) -> Any:
        def seeded_ids(parameters: Any) -> Any:
            if not isinstance(parameters, dict):
                return parameters
            return {name: seeded.get(name, value) for name, value in parameters.items()}

        return st.one_of(strategy, strategy.map(seeded_ids))

    return before_generate_path_parameters


def _keep_signed_in(admin: Account, case: Case, response: Any) -> None:
    """The fuzzer finds the admin's own id in responses, so it may reset the admin's password
    (the new one is in the body) or log the admin out; either ends the session."""
    resets_own_password = (
        case.operation.path == "/api/users/{user_id}/password"
        and str((case.path_parameters or {}).get("user_id")) == admin.id
    )
    if resets_own_password and response.status_code == 204:
        admin.password = case.body["password"]
    if response.status_code in {204, 401} and not admin.still_signed_in():
        admin.sign_in_again()


@pytest.fixture(scope="module")
def api_schema(api: RunningApi) -> Any:
    schema = schemathesis.openapi.from_url(
        f"{api.base}/schema/openapi.json", config=SchemathesisConfig.from_dict(FUZZ_CONFIG)
    )
    schema.hook(_with_seeded_ids(api.seeded))
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    """schemathesis 4.32 reads and renames `_nodeid`, which pytest 9.2 no longer has."""
    request.node._nodeid = request.node.nodeid


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.usefixtures("_node_id_for_schemathesis")
def test_every_operation_answers_as_documented(case: Case, api: RunningApi) -> None:
    # `call_and_validate`, split so that a case that ended the admin's session (a logout, a
    # reset of the admin's own password) is followed by a new one before the next case.
    headers = api.admin.headers()
    response = case.call(headers=headers)
    _keep_signed_in(api.admin, case, response)
    case.validate_response(response, checks=CHECKS, headers=headers)


# Many more scenarios make Hypothesis notice that the live server answers the same choices
# differently as its data grows, which it reports as FlakyStrategyDefinition.
SCENARIOS = 40
STEPS_PER_SCENARIO = 8


def test_chains_of_operations_answer_as_documented(api_schema: Any, api: RunningApi) -> None:
    """Stateful: the ids one answer returns feed the next request, along the links schemathesis
    infers from the document (a created room's id into its beds, and so on)."""

    class AdminScenarios(api_schema.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": api.admin.headers()}

        def after_call(self, response: Any, case: Case) -> None:
            _keep_signed_in(api.admin, case, response)

        def validate_response(
            self, response: Any, case: Case, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(response, checks=CHECKS, headers=kwargs.get("headers"))

    AdminScenarios.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS_PER_SCENARIO,
            derandomize=True,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )


PUBLIC_OPERATIONS = {
    "POST /api/auth/login",
    "POST /api/auth/refresh",
    "GET /health/live",
    "GET /health/ready",
    # The payment gateway's events: authenticated by their HMAC signature, not a token.
    "POST /api/payments/webhook",
}
DOCS = ["/schema/openapi.json", "/schema/swagger", "/schema/redoc"]


def _status(api: RunningApi, operation: Operation, headers: dict[str, str]) -> int:
    # An empty JSON object where a body is expected: a refusal must come before validation.
    body = {} if operation.has_json_body else None
    url = f"{api.base}{operation.url(api.seeded)}"
    return httpx.request(operation.method, url, json=body, headers=headers, timeout=30).status_code


def test_no_operation_answers_without_a_token_but_the_public_ones(api: RunningApi) -> None:
    operations = published_operations(api.base)

    answers = {str(op): _status(api, op, {}) for op in operations if not op.public}

    assert {name: status for name, status in answers.items() if status != 401} == {}
    assert {str(op) for op in operations if op.public} == PUBLIC_OPERATIONS
    assert {page: httpx.get(f"{api.base}{page}").status_code for page in DOCS} == dict.fromkeys(
        DOCS, 200
    )
    assert len(answers) > 40


def _account_of(api: RunningApi, role: Role) -> Account:
    unique = uuid4().hex[:12]
    resident_id = None
    if role is Role.RESIDENT:
        resident = {
            "student_id": unique,
            "first_name": "Role",
            "last_name": "Walk",
            "email": f"resident.{unique}@example.edu",
        }
        resident_id = api.post("/api/residents", resident, 201)["id"]
    return api.add_account(role.value, f"{role.value}.{unique}@example.edu", resident_id)


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.TECHNICIAN, Role.STAFF])
def test_no_operation_answers_a_role_its_route_does_not_admit(
    api: RunningApi, role: Role, tmp_path: Path
) -> None:
    admits = admitted_roles(tmp_path)
    operations = [op for op in published_operations(api.base) if not op.public]
    refused = [op for op in operations if role not in admits.get((op.method, op.path), ())]
    caller = _account_of(api, role)

    answers = {str(op): _status(api, op, caller.headers()) for op in refused}

    assert [str(op) for op in operations if (op.method, op.path) not in admits] == []
    assert {name: status for name, status in answers.items() if status not in {403, 404}} == {}
    # Every role but admin is refused something: a walk over nothing would prove nothing.
    assert answers
