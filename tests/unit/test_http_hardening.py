"""Host checking, CORS, security headers and the request body limit."""

import base64
import hashlib
import re

import pytest

from entrypoints.http.app import DEFAULT_BODY_LIMIT_BYTES
from entrypoints.http.hardening import AllowedHostsMiddleware
from tests.unit.accounts_api import Caller
from tests.unit.housing_api import NORTH_HALL, problem_of

API_POLICY = "default-src 'none'; frame-ancestors 'none'"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in policy.split(";"):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/buildings", 200),
        ("POST", "/api/buildings", 422),
        ("GET", "/api/nowhere", 404),
        ("DELETE", "/api/buildings", 405),
        ("GET", "/health/live", 200),
        ("GET", "/schema/openapi.json", 200),
    ],
)
async def test_every_response_carries_the_security_headers(
    staff: Caller, method: str, url: str, status: int
) -> None:
    response = await staff.request(method, url, json={} if method == "POST" else None)

    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["content-security-policy"] == API_POLICY


async def test_refusals_carry_the_security_headers_too(anonymous: Caller) -> None:
    response = await anonymous.get("/api/buildings")

    problem_of(response, 401)
    assert response.headers["content-security-policy"] == API_POLICY
    assert response.headers["x-frame-options"] == "DENY"


async def test_api_responses_are_not_cached(staff: Caller, anonymous: Caller) -> None:
    assert (await staff.get("/api/auth/me")).headers["cache-control"] == "no-store"
    assert (await anonymous.get("/api/buildings")).headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("page", "cdn"),
    [("swagger", "https://cdn.jsdelivr.net"), ("redoc", "https://cdn.redoc.ly")],
)
async def test_docs_pages_may_load_their_bundles_and_their_own_script_only(
    anonymous: Caller, page: str, cdn: str
) -> None:
    response = await anonymous.get(f"/schema/{page}")

    policy = directives(response.headers["content-security-policy"])
    inline = re.findall(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.content, re.S)
    hashes = [f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in inline]
    bundles = re.findall(r"""<script src=["']([^"']+)["']""", response.text)
    assert response.status_code == 200
    assert len(inline) == 1
    assert sorted(policy["script-src"]) == sorted([cdn, *hashes])
    assert all(bundle.startswith(f"{cdn}/") for bundle in bundles)
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_swagger_may_call_this_server(anonymous: Caller) -> None:
    response = await anonymous.get("/schema/swagger")

    assert directives(response.headers["content-security-policy"])["connect-src"] == ["'self'"]


@pytest.mark.parametrize("host", ["evil.example", "testserver.local.evil.example", ""])
async def test_a_host_that_is_not_allowed_is_refused(staff: Caller, host: str) -> None:
    response = await staff.get("/api/buildings", headers={"Host": host})

    assert "Host header" in problem_of(response, 400)["detail"]
    assert response.headers["x-frame-options"] == "DENY"


async def test_the_host_check_comes_before_authentication(anonymous: Caller) -> None:
    problem_of(await anonymous.get("/api/buildings", headers={"Host": "evil.example"}), 400)


async def test_an_allowed_host_with_a_port_is_served(staff: Caller) -> None:
    response = await staff.get("/api/buildings", headers={"Host": "localhost:8000"})

    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("allowed", "host", "served"),
    [
        (["example.edu"], "example.edu", True),
        (["example.edu"], "EXAMPLE.edu:443", True),
        (["example.edu"], "www.example.edu", False),
        (["*.example.edu"], "api.example.edu", True),
        (["*.example.edu"], "example.edu", False),
        (["*.example.edu"], "evilexample.edu", False),
        (["[::1]"], "[::1]:8000", True),
        (["127.0.0.1"], "127.0.0.1:8000", True),
        (["*"], "anything.example", True),
        (["localhost"], "", False),
    ],
)
def test_allowed_hosts_match_names_without_ports(
    allowed: list[str], host: str, served: bool
) -> None:
    assert AllowedHostsMiddleware(allowed).allows(host) is served


async def test_no_cross_origin_access_by_default(staff: Caller, anonymous: Caller) -> None:
    origin = {"Origin": "https://app.example.edu"}
    preflight = await anonymous.request(
        "OPTIONS",
        "/api/buildings",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    simple = await staff.get("/api/buildings", headers=origin)

    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in preflight.headers


class TestWithAnAllowedOrigin:
    @pytest.fixture
    def environment(self, environment: dict[str, str]) -> dict[str, str]:
        return {**environment, "CORS_ORIGINS": "https://app.example.edu"}

    async def test_the_configured_origin_may_call_with_a_token(
        self, staff: Caller, anonymous: Caller
    ) -> None:
        headers = {
            "Origin": "https://app.example.edu",
            "Access-Control-Request-Method": "PATCH",
            "Access-Control-Request-Headers": "authorization, content-type",
        }
        preflight = await anonymous.request("OPTIONS", "/api/buildings", headers=headers)
        simple = await staff.get("/api/buildings", headers={"Origin": "https://app.example.edu"})

        assert preflight.status_code in (200, 204), preflight.text
        assert preflight.headers["access-control-allow-origin"] == "https://app.example.edu"
        allowed_headers = preflight.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed_headers
        assert simple.headers["access-control-allow-origin"] == "https://app.example.edu"
        assert "access-control-allow-credentials" not in simple.headers

    async def test_another_origin_is_not_allowed(self, staff: Caller) -> None:
        response = await staff.get("/api/buildings", headers={"Origin": "https://evil.example"})

        assert "access-control-allow-origin" not in response.headers


async def test_a_body_over_the_limit_is_refused_as_a_problem(staff: Caller) -> None:
    padding = "x" * DEFAULT_BODY_LIMIT_BYTES
    response = await staff.post("/api/buildings", json={**NORTH_HALL, "name": padding})

    problem_of(response, 413)
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_a_body_just_under_the_limit_is_read(staff: Caller) -> None:
    padding = "x" * (DEFAULT_BODY_LIMIT_BYTES - 200)
    response = await staff.post("/api/buildings", json={**NORTH_HALL, "name": padding})

    # Read and judged on its content: the name is too long, not the body.
    assert problem_of(response, 422)["errors"][0]["field"] == "name"
